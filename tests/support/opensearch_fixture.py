"""Session fixture `opensearch_server`: one real OpenSearch node (emulator.opensearch) for the tests asking for it.

Registered by the root conftest's `pytest_plugins`. As soon as collection selects a test using the fixture,
the node starts in a background thread (the Maven resolution on a fresh clone, then the JVM), so its start
overlaps the unit tests that run first. A test asking for it waits; if the node could not start, the test
fails with the reason and the node's log tail (never a skip). The node stops at session end, at exit and on
SIGTERM/SIGHUP. Figures go to build/test-results/opensearch.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from opensearchpy import OpenSearch

from emulator.opensearch import OpenSearchServer, install_signal_stop, start
from tests.support.background_server import BackgroundStart

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "build" / "test-results"
FIXTURE = "opensearch_server"
STARTER = pytest.StashKey[BackgroundStart[OpenSearchServer]]()


def _start(say: Callable[[str], None]) -> OpenSearchServer:
    return start(ROOT / "build", say)


def _begin(config: pytest.Config) -> BackgroundStart[OpenSearchServer]:
    install_signal_stop()  # from the main thread: the start itself runs in the background
    starter = BackgroundStart("OpenSearch", _start)
    config.stash[STARTER] = starter
    starter.begin()
    return starter


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        _begin(session.config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    starter = session.config.stash.get(STARTER, None)
    if starter is None:
        return
    starter.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "opensearch.json").write_text(json.dumps(starter.report, indent=2, sort_keys=True))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    starter = terminalreporter.config.stash.get(STARTER, None)
    if starter is None:
        return
    report = starter.report
    terminalreporter.section("opensearch")
    for message in starter.messages:
        terminalreporter.write_line(message)
    terminalreporter.write_line(
        f"start {report.get('startup_s')}s (tests waited {report.get('waited_by_tests_s')}s), "
        f"RSS {report.get('rss_mib_at_start')} -> {report.get('rss_mib_at_end')} MiB; "
        f"report: {RESULTS / 'opensearch.json'}"
    )


@pytest.fixture(scope="session")
def opensearch_server(request: pytest.FixtureRequest) -> OpenSearchServer:
    """The session's node: `url`, `user`, `password`, `ca_cert`, `knn_engine`, `log_tail()`."""
    starter = request.config.stash.get(STARTER, None) or _begin(request.config)
    try:
        return starter.result()
    except Exception as error:
        pytest.fail(f"OpenSearch could not start: {error}", pytrace=False)


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
