"""Session fixture `opensearch_server`: one real OpenSearch node (emulator.opensearch) for the tests asking for it.

Registered by the root conftest's `pytest_plugins`. As soon as collection selects a test using the fixture,
the node starts in a background thread (the Maven resolution on a fresh clone, then the JVM), so its start
overlaps the unit tests that run first. A test asking for it waits; if the node could not start, the test
fails with the reason and the node's log tail (never a skip). The node stops at session end, at exit and on
SIGTERM/SIGHUP. Figures go to build/test-results/opensearch.json.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from emulator.opensearch import OpenSearchServer, install_signal_stop, start
from tests.support.background_server import ServerPlugin

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = "opensearch_server"


def _start(say: Callable[[str], None]) -> OpenSearchServer:
    return start(ROOT / "build", say)


PLUGIN = ServerPlugin("OpenSearch", FIXTURE, _start, install_signal_stop)
pytest_collection_finish = PLUGIN.collection_finish
pytest_sessionfinish = PLUGIN.sessionfinish
pytest_terminal_summary = PLUGIN.terminal_summary


@pytest.fixture(scope="session")
def opensearch_server(request: pytest.FixtureRequest) -> OpenSearchServer:
    """The session's node: `url`, `user`, `password`, `ca_cert`, `knn_engine`, `log_tail()`."""
    return PLUGIN.server(request)


def client(server: OpenSearchServer, password: str | None = None) -> OpenSearch:
    """An opensearch-py client over HTTPS checked against the run's CA, as the admin (or another password)."""
    assert server.user is not None and server.password is not None and server.ca_cert is not None
    return OpenSearch(
        server.url,
        http_auth=(server.user, server.password if password is None else password),
        ca_certs=str(server.ca_cert),
        verify_certs=True,
        ssl_show_warn=False,
        timeout=30,
    )
