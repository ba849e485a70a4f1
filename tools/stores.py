"""Native Neo4j and OpenSearch for the service outside pytest (make serve, python -m bench.service): both
started on loopback, always stopped, and the development settings that reach them over TLS."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from emulator import neo4j, opensearch
from emulator.neo4j import Neo4jServer
from emulator.opensearch import OpenSearchServer
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def started_stores() -> Iterator[tuple[Neo4jServer, OpenSearchServer]]:
    neo4j.install_signal_teardown()
    opensearch.install_signal_stop()
    with ThreadPoolExecutor(1) as pool:  # Neo4j in the background (its JVM has a keeper thread of its own)
        graph_start = pool.submit(neo4j.start, ROOT / "build" / "neo4j" / "local", say)
        # OpenSearch from the main thread: its JVM dies with the thread that started it (PR_SET_PDEATHSIG).
        try:
            search = opensearch.start(ROOT / "build", say)
        finally:
            graph = graph_start.result()
    try:
        yield graph, search
    finally:
        graph.stop()
        search.stop()


def local_settings(graph: Neo4jServer, search: OpenSearchServer, **overrides: Any) -> Settings:
    """Development settings against the two servers, over TLS with their CAs."""
    assert search.user and search.password and search.ca_cert
    values: dict[str, Any] = {
        "neo4j_uri": graph.bolt_uri,
        "neo4j_username": SecretStr(graph.user),
        "neo4j_password": SecretStr(graph.password),
        "neo4j_ca_cert": SecretStr(graph.ca_cert.read_text()),
        "opensearch_endpoint": search.url,
        "opensearch_auth_method": "basic",
        "opensearch_username": search.user,
        "opensearch_password": SecretStr(search.password),
        "opensearch_ca_cert": search.ca_cert.read_text(),
    }
    values.update(overrides)
    return Settings(**values)
