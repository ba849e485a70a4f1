"""The service benchmark's harness in its smoke size, on the session's real servers: it ingests over HTTP,
searches, and reports figures that are consistent (timing is `python -m bench.service`'s table)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bench.service import api_clients, run
from emulator.neo4j import Neo4jServer
from emulator.opensearch import OpenSearchServer
from tests.service.stores import store_settings

pytestmark = pytest.mark.integration


def test_the_service_bench_ingests_and_times_searches(
    neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    settings = store_settings(neo4j_server, opensearch_server, api_clients=SecretStr(api_clients()))
    results = run(settings, chunks=40, queries=10)
    assert results["chunks_indexed"] == 40 and results["transcripts"] == 4
    assert results["ingest_chunks_per_s"] > 0
    for figures in results["search"].values():
        assert figures["queries"] == 5 and 0 < figures["p50_ms"] <= figures["p95_ms"]
