"""Session fixture `neo4j_server`: one real Neo4j (emulator.neo4j) for every test that asks for it.

Registered by the root conftest's `pytest_plugins`. As soon as collection selects a test using the fixture,
the server starts in a background thread (Maven resolution on a fresh clone, then the JVM), so its start
overlaps the unit tests that run first. A test asking for it waits; if the server could not start, the test
fails with the reason and the server's log tail (never a skip). The server stops at session end, at exit and
on SIGTERM/SIGHUP. Figures go to build/test-results/neo4j.json.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from emulator.neo4j import Neo4jServer, install_signal_teardown, start
from tests.support.background_server import BackgroundStart, summarize, write_report

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "build" / "neo4j" / "tests"
FIXTURE = "neo4j_server"
STARTER = pytest.StashKey[BackgroundStart[Neo4jServer]]()


def _start(say: Callable[[str], None]) -> Neo4jServer:
    return start(BASE, say)


def _begin(config: pytest.Config) -> BackgroundStart[Neo4jServer]:
    # the signal handlers from the main thread: the start itself runs in the background
    config.stash[STARTER] = starter = BackgroundStart("neo4j", _start, install_signal_teardown)
    starter.begin()
    return starter


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        _begin(session.config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    starter = session.config.stash.get(STARTER, None)
    if starter is not None:
        starter.stop()
        write_report(starter)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    starter = terminalreporter.config.stash.get(STARTER, None)
    if starter is not None:
        summarize(terminalreporter, starter)


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest) -> Neo4jServer:
    """The session's Neo4j: `bolt_uri`, `user`, `password`, `ca_cert`, `driver()`, `log_tail()`."""
    starter = request.config.stash.get(STARTER, None) or _begin(request.config)
    try:
        return starter.result()
    except Exception as error:
        failure = f"Neo4j could not start: {error}"
    pytest.fail(failure, pytrace=False)  # outside the except: the reason and log tail, not a chained trace
