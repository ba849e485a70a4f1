"""The real OpenSearch node (emulator.opensearch): health, TLS + auth, k-NN search, painless, loopback only."""

from __future__ import annotations

import re
import ssl
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from opensearchpy import OpenSearch
from opensearchpy.exceptions import AuthenticationException

from emulator.opensearch import OpenSearchServer, start
from emulator.opensearch_install import opensearch_version
from tests.support.opensearch_fixture import client

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def admin(opensearch_server: OpenSearchServer) -> OpenSearch:
    return client(opensearch_server)


def test_cluster_is_healthy_with_the_pinned_version_and_plugins(admin: OpenSearch) -> None:
    assert admin.cluster.health()["status"] in ("yellow", "green")
    assert admin.info()["version"]["number"] == opensearch_version() == "2.19.1"
    (node,) = admin.nodes.info(metric="plugins,jvm")["nodes"].values()
    plugins = {plugin["name"]: plugin["version"] for plugin in node["plugins"]}
    assert plugins == {"opensearch-knn": "2.19.1.0", "opensearch-security": "2.19.1.0"}
    assert "lang-painless" in {module["name"] for module in node["modules"]}
    assert node["jvm"]["mem"]["heap_max_in_bytes"] <= 512 * 1024 * 1024


def test_a_wrong_password_is_refused(opensearch_server: OpenSearchServer) -> None:
    with pytest.raises(AuthenticationException):
        client(opensearch_server, password="not-the-password").info()
    anonymous = urllib.request.Request(opensearch_server.url + "/")
    context = ssl.create_default_context(cafile=str(opensearch_server.ca_cert))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, context=context, timeout=10)
    assert refused.value.code == 401


def test_plain_http_is_not_served(opensearch_server: OpenSearchServer) -> None:
    plain = opensearch_server.url.replace("https://", "http://") + "/"
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(plain, timeout=10)


def test_knn_query_returns_the_nearest_document_first(
    admin: OpenSearch, opensearch_server: OpenSearchServer
) -> None:
    index = "notes-knn-test"
    admin.indices.create(
        index=index,
        body={
            "settings": {"index.knn": True, "number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {
                "properties": {
                    "embedding": {
                        "type": "knn_vector",
                        "dimension": 3,
                        "method": {
                            "name": "hnsw",
                            "engine": opensearch_server.knn_engine,
                            "space_type": "l2",
                        },
                    },
                    "title": {"type": "keyword"},
                }
            },
        },
    )
    try:
        documents = {"far": [9.0, 9.0, 9.0], "near": [1.0, 1.1, 0.9], "middle": [3.0, 3.0, 3.0]}
        for title, vector in documents.items():
            admin.index(index=index, id=title, body={"title": title, "embedding": vector})
        admin.indices.refresh(index=index)
        hits = admin.search(
            index=index,
            body={"size": 3, "query": {"knn": {"embedding": {"vector": [1.0, 1.0, 1.0], "k": 3}}}},
        )["hits"]["hits"]
        assert [hit["_id"] for hit in hits] == ["near", "middle", "far"]
    finally:
        admin.indices.delete(index=index)


def test_painless_answers(admin: OpenSearch) -> None:
    answer = admin.transport.perform_request(
        "POST",
        "/_scripts/painless/_execute",
        body={"script": {"source": "params.a * 2", "params": {"a": 21}}},
    )
    assert answer == {"result": "42"}


def test_listens_on_loopback_only(opensearch_server: OpenSearchServer) -> None:
    listening = subprocess.run(
        ["ss", "-Hltnp"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    mine = [line.split()[3] for line in listening if f"pid={opensearch_server.pid}," in line]
    assert len(mine) >= 2, listening  # HTTP and transport
    loopback = r"(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+"  # the JVM binds IPv6 sockets, IPv4-mapped
    assert all(re.fullmatch(loopback, address) for address in mine), mine


def test_a_stopped_node_leaves_no_process_and_no_data() -> None:
    """A second node of its own (the session's stays up): stop() ends the JVM and removes its run folder."""
    messages: list[str] = []
    server = start(ROOT / "build", messages.append)
    try:
        assert Path(f"/proc/{server.pid}").exists()
        assert (server.run_dir / "data").is_dir()
        assert server.password is not None and all(server.password not in m for m in messages)
    finally:
        server.stop()
    assert not Path(f"/proc/{server.pid}").exists()
    assert not server.run_dir.exists()
    assert server.password not in server.log.read_text(errors="replace")
