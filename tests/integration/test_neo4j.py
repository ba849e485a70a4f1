"""The real Neo4j 5.15 Community server of the test tier: auth required, Bolt only over TLS, APOC loaded,
data written and read back through the official Python driver."""

from __future__ import annotations

import re
import socket
import ssl
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError, ServiceUnavailable

from emulator.neo4j import Neo4jError, Neo4jServer, start
from emulator.tls import write_test_pki

pytestmark = pytest.mark.integration


def test_bolt_answers_over_tls_on_loopback_with_the_test_ca(
    neo4j_server: Neo4jServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert neo4j_server.bolt_uri == f"bolt+s://127.0.0.1:{neo4j_server.port}"
    # bolt+s:// trusts the system's CAs: point OpenSSL's default bundle at the test CA and use the URI as is.
    monkeypatch.setenv("SSL_CERT_FILE", str(neo4j_server.ca_cert))
    with neo4j.GraphDatabase.driver(
        neo4j_server.bolt_uri, auth=(neo4j_server.user, neo4j_server.password)
    ) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1
    # The certificate the server presents is the one the test CA signed for 127.0.0.1.
    context = ssl.create_default_context(cafile=str(neo4j_server.ca_cert))
    with (
        socket.create_connection(("127.0.0.1", neo4j_server.port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.version() in {"TLSv1.2", "TLSv1.3"}


def test_a_wrong_password_is_refused(neo4j_server: Neo4jServer) -> None:
    with (
        neo4j.GraphDatabase.driver(
            f"bolt://127.0.0.1:{neo4j_server.port}",
            auth=(neo4j_server.user, neo4j_server.password + "-wrong"),
            encrypted=True,
            trusted_certificates=neo4j.TrustCustomCAs(str(neo4j_server.ca_cert)),
        ) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_plaintext_bolt_is_refused(neo4j_server: Neo4jServer) -> None:
    """The right credentials over an unencrypted connection: the server closes the handshake."""
    with (
        neo4j.GraphDatabase.driver(
            f"bolt://127.0.0.1:{neo4j_server.port}",
            auth=(neo4j_server.user, neo4j_server.password),
            encrypted=False,
            connection_timeout=5,
        ) as driver,
        pytest.raises(ServiceUnavailable),
    ):
        driver.verify_connectivity()


def test_a_certificate_from_another_ca_is_not_trusted(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    other = write_test_pki(tmp_path / "other")
    with (
        neo4j.GraphDatabase.driver(
            f"bolt://127.0.0.1:{neo4j_server.port}",
            auth=(neo4j_server.user, neo4j_server.password),
            encrypted=True,
            trusted_certificates=neo4j.TrustCustomCAs(str(other.ca_cert)),
            connection_timeout=5,
        ) as driver,
        pytest.raises(ServiceUnavailable),
    ):
        driver.verify_connectivity()


def test_apoc_core_answers(neo4j_server: Neo4jServer) -> None:
    with neo4j_server.driver() as driver:
        records, _, _ = driver.execute_query(
            "RETURN apoc.version() AS version, apoc.text.join($words, '-') AS joined",
            words=["visit", "note"],
        )
    assert records[0]["version"] == "5.15.0"
    assert records[0]["joined"] == "visit-note"


def test_data_written_is_read_back(neo4j_server: Neo4jServer) -> None:
    def write(tx: neo4j.ManagedTransaction, note_id: str, patient: str) -> None:
        tx.run(
            "MERGE (p:Patient {id: $patient}) MERGE (n:Note {id: $note}) MERGE (p)-[:HAS_NOTE]->(n)",
            patient=patient,
            note=note_id,
        ).consume()

    with neo4j_server.driver() as driver, driver.session() as session:
        session.execute_write(write, "note-1", "patient-a")
        session.execute_write(write, "note-1", "patient-a")  # MERGE: idempotent
        records = session.execute_read(
            lambda tx: tx.run(
                "MATCH (:Patient {id: $patient})-[:HAS_NOTE]->(n:Note) RETURN n.id AS id",
                patient="patient-a",
            ).data()
        )
    assert records == [{"id": "note-1"}]


def test_native_compose_and_terraform_run_the_same_neo4j_minor() -> None:
    """The pom's Neo4j and APOC, the compose file's image and the module's default image: one minor."""
    root = Path(__file__).resolve().parents[2]
    pom = (root / "emulator" / "neo4j-server" / "pom.xml").read_text()
    native = re.search(r"<neo4j.version>(\d+\.\d+)\.\d+</neo4j.version>", pom)
    apoc = re.search(r"<apoc.version>(\d+\.\d+)\.\d+</apoc.version>", pom)
    compose = re.search(
        r"image: neo4j:(\d+\.\d+)-community", (root / "localstack" / "docker-compose.yml").read_text()
    )
    module = re.search(
        r'default\s+=\s+"public.ecr.aws/docker/library/neo4j:(\d+\.\d+)-community"',
        (root / "terraform" / "modules" / "neo4j" / "variables.tf").read_text(),
    )
    assert native and apoc and compose and module
    assert {native[1], apoc[1], compose[1], module[1]} == {"5.15"}


def test_a_server_that_cannot_start_fails_with_its_log_tail(tmp_path: Path) -> None:
    """Bolt's port already taken: start() raises with the server's own log, and leaves nothing running."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(Neo4jError, match="Address already in use") as failure:
            start(tmp_path, lambda _: None, port=busy.getsockname()[1])
    assert "neo4j.log" in str(failure.value)
    (instance,) = tmp_path.iterdir()
    assert [p.name for p in instance.iterdir()] == ["logs"], "config, keys, password and data are removed"
    assert not (instance / "data").exists()
