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

import pytest

from emulator.neo4j import Neo4jServer, install_signal_teardown, start
from tests.support.background_server import ServerPlugin

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "build" / "neo4j" / "tests"
FIXTURE = "neo4j_server"


def _start(say: Callable[[str], None]) -> Neo4jServer:
    return start(BASE, say)


PLUGIN = ServerPlugin("neo4j", FIXTURE, _start, install_signal_teardown)
pytest_collection_finish = PLUGIN.collection_finish
pytest_sessionfinish = PLUGIN.sessionfinish
pytest_terminal_summary = PLUGIN.terminal_summary


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest) -> Neo4jServer:
    """The session's Neo4j: `bolt_uri`, `user`, `password`, `ca_cert`, `driver()`, `log_tail()`."""
    return PLUGIN.server(request)
