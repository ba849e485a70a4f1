"""The service against real Neo4j 5 and OpenSearch 2.19 (k-NN) servers, over TLS with auth: the whole
life of a patient's data, idempotency, refusals, PHI-free logs, and readiness with a store down."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from emulator.neo4j import Neo4jServer
from emulator.opensearch import OpenSearchServer
from service.logs import JsonFormatter
from service.main import create_app
from tests.service.stores import down, graph_driver, search_client, store_settings
from tests.service.support import TRANSCRIPT, bearer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer) -> Iterator[TestClient]:
    with TestClient(create_app(store_settings(neo4j_server, opensearch_server))) as test_client:
        yield test_client


def patient(ref: str) -> dict[str, Any]:
    return {**TRANSCRIPT, "patient_ref": ref, "encounter_ref": f"{ref}-ENC-1"}


def graph_nodes(neo4j: Neo4jServer, ref: str) -> int:
    with graph_driver(neo4j) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (p:Patient {id: $ref}) OPTIONAL MATCH (p)-[*1..3]->(n) RETURN count(DISTINCT p) + count(DISTINCT n) AS c",
            ref=ref,
        )
    return int(records[0]["c"])


def chunk_count(search: OpenSearchServer, index: str, ref: str) -> int:
    client = search_client(search)
    client.indices.refresh(index=index)
    return int(client.count(index=index, body={"query": {"term": {"patient_ref": ref}}})["count"])


def test_ingest_search_note_graph_then_delete_everywhere(
    client: TestClient, neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    index = client.app.state.services.search.index  # type: ignore[attr-defined]
    ingested = client.post("/v1/transcripts", json=patient("MRN-LIFE-1"), headers=bearer("scribe"))
    assert ingested.status_code == 201, ingested.text
    body = ingested.json()
    assert body["chunks"] >= 1 and body["embedding"] == "all-MiniLM-L6-v2"
    client.post("/v1/transcripts", json=patient("MRN-OTHER-2"), headers=bearer("scribe")).raise_for_status()

    found = client.post(
        "/v1/search",
        json={"query": "heartburn after eating", "k": 3, "patient_ref": "MRN-LIFE-1"},
        headers=bearer("viewer"),
    )
    assert found.status_code == 200, found.text
    hits = found.json()["hits"]
    assert hits and {hit["patient_ref"] for hit in hits} == {"MRN-LIFE-1"}
    assert hits[0]["transcript_id"] == body["transcript_id"] and 0 < hits[0]["score"] <= 1
    assert "chest pain" in " ".join(hit["text"] for hit in hits)

    note = client.post(f"/v1/transcripts/{body['transcript_id']}/notes", headers=bearer("scribe"))
    assert note.status_code == 201, note.text
    assert note.json()["generator"] == "extractive-v1"
    assert any("omeprazole" in line for line in note.json()["soap"]["plan"])

    graph = client.get("/v1/patients/MRN-LIFE-1/graph", headers=bearer("viewer"))
    assert graph.status_code == 200
    assert graph.json()["encounters"] == [
        {
            "encounter_ref": "MRN-LIFE-1-ENC-1",
            "transcripts": [body["transcript_id"]],
            "notes": [note.json()["note_id"]],
        }
    ]

    assert graph_nodes(neo4j_server, "MRN-LIFE-1") == 4
    assert chunk_count(opensearch_server, index, "MRN-LIFE-1") == body["chunks"]
    deleted = client.delete("/v1/patients/MRN-LIFE-1", headers=bearer("dpo"))
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {
        "patient_ref": "MRN-LIFE-1",
        "graph_nodes_deleted": 4,
        "chunks_deleted": body["chunks"],
        "verified": True,
    }
    assert graph_nodes(neo4j_server, "MRN-LIFE-1") == 0
    assert chunk_count(opensearch_server, index, "MRN-LIFE-1") == 0
    assert client.get("/v1/patients/MRN-LIFE-1/graph", headers=bearer("viewer")).status_code == 404
    again = client.post(
        "/v1/search", json={"query": "chest pain", "patient_ref": "MRN-LIFE-1"}, headers=bearer("viewer")
    )
    assert again.json()["hits"] == []
    assert chunk_count(opensearch_server, index, "MRN-OTHER-2") > 0, "another patient's data was deleted"


def test_ingesting_the_same_transcript_again_changes_nothing(
    client: TestClient, neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    index = client.app.state.services.search.index  # type: ignore[attr-defined]
    first = client.post("/v1/transcripts", json=patient("MRN-IDEM-3"), headers=bearer("scribe")).json()
    second = client.post("/v1/transcripts", json=patient("MRN-IDEM-3"), headers=bearer("scribe")).json()
    assert first == second
    assert graph_nodes(neo4j_server, "MRN-IDEM-3") == 3
    assert chunk_count(opensearch_server, index, "MRN-IDEM-3") == first["chunks"]


def test_an_encounter_of_another_patient_is_a_409_and_nothing_is_written(
    client: TestClient, neo4j_server: Neo4jServer
) -> None:
    client.post("/v1/transcripts", json=patient("MRN-OWNER-4"), headers=bearer("scribe")).raise_for_status()
    stolen = {**patient("MRN-THIEF-5"), "encounter_ref": "MRN-OWNER-4-ENC-1"}
    response = client.post("/v1/transcripts", json=stolen, headers=bearer("scribe"))
    assert response.status_code == 409
    assert graph_nodes(neo4j_server, "MRN-THIEF-5") == 0


def test_unknown_transcript_and_patient_are_404(client: TestClient) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"/v1/transcripts/{missing}/notes", headers=bearer("scribe")).status_code == 404
    assert client.get("/v1/patients/MRN-NOBODY/graph", headers=bearer("viewer")).status_code == 404


def test_auth_is_refused_before_any_store_is_touched(client: TestClient) -> None:
    assert client.post("/v1/search", json={"query": "x"}).status_code == 401
    assert client.delete("/v1/patients/MRN-OWNER-4", headers=bearer("scribe")).status_code == 403
    assert client.get("/v1/patients/MRN-OWNER-4/graph", headers=bearer("viewer")).status_code == 200


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z0-9-]{4,}", text)}


def test_logs_of_ingest_search_and_note_carry_no_phi_and_every_access_is_audited(
    neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    transcript = {
        "patient_ref": "MRN-PRIVATE-7731",
        "encounter_ref": "ENC-PRIVATE-0042",
        "turns": [
            {"speaker": "patient", "text": "Marguerite here: my migraines worsen near Saskatoon's refinery."},
            {"speaker": "clinician", "text": "Temperature 38.4 and photophobia noted on examination."},
            {"speaker": "clinician", "text": "Likely vestibular migraine; we will prescribe rizatriptan."},
        ],
    }
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    settings = store_settings(neo4j_server, opensearch_server, log_level="DEBUG")
    with TestClient(create_app(settings)) as client:
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            ingested = client.post("/v1/transcripts", json=transcript, headers=bearer("scribe"))
            tid = ingested.json()["transcript_id"]
            client.post(
                "/v1/search",
                json={"query": "migraine near the refinery", "patient_ref": "MRN-PRIVATE-7731"},
                headers=bearer("viewer"),
            ).raise_for_status()
            client.post(f"/v1/transcripts/{tid}/notes", headers=bearer("scribe")).raise_for_status()
            client.get("/v1/patients/MRN-PRIVATE-7731/graph", headers=bearer("viewer")).raise_for_status()
        finally:
            root.removeHandler(handler)
    logged = stream.getvalue()
    entries = [json.loads(line) for line in logged.splitlines()]
    secret = words(json.dumps(transcript["turns"])) - {"speaker", "text", "patient", "clinician"}
    assert secret and not (secret & words(logged)), sorted(secret & words(logged))
    for identifier in ("MRN-PRIVATE-7731", "ENC-PRIVATE-0042", "7731", "0042"):
        assert identifier.lower() not in logged.lower()
    audits = [entry["audit"] for entry in entries if entry["logger"] == "notegen.audit"]
    assert [(a["who"], a["action"], a["outcome"]) for a in audits] == [
        ("scribe", "transcript.ingest", "success"),
        ("viewer", "transcript.search", "success"),
        ("scribe", "note.generate", "success"),
        ("viewer", "patient.graph.read", "success"),
    ]
    assert len({a["subject"] for a in audits}) == 1 and all(
        a["when"] and a["request_id"] != "-" for a in audits
    )
    requests = [entry for entry in entries if entry.get("event") == "request"]
    assert len(requests) == 4 and all(entry["request_id"] != "-" for entry in requests)


@pytest.mark.parametrize("store", ["neo4j", "opensearch"])
def test_readiness_names_the_store_that_is_down(
    store: str, neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    with TestClient(create_app(store_settings(neo4j_server, opensearch_server))) as client:
        assert client.get("/readyz").status_code == 200
    with TestClient(create_app(store_settings(neo4j_server, opensearch_server, **down(store)))) as client:
        response = client.get("/readyz")
        assert client.get("/livez").status_code == 200
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks[store]["ok"] is False
    assert [name for name, check in checks.items() if check["ok"]] == [
        n for n in ("neo4j", "opensearch") if n != store
    ]
