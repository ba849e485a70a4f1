"""Session fixture `neo4j_server`: one real Neo4j (emulator.neo4j) for every test that asks for it.

Registered by the root conftest's `pytest_plugins`. As soon as collection selects a test using the fixture,
the server starts in a background thread (Maven resolution on a fresh clone, then the JVM), so its start
overlaps the unit tests that run first. A test asking for it waits; if the server could not start, the test
fails with the reason and the server's log tail (never a skip). The server stops at session end, at exit and
on SIGTERM/SIGHUP. Figures go to build/test-results/neo4j.json.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from emulator.neo4j import Neo4jServer, install_signal_teardown, start

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "build" / "neo4j" / "tests"
RESULTS = ROOT / "build" / "test-results"
FIXTURE = "neo4j_server"


class Starter:
    """Starts the server in a daemon thread; result() waits for it, stop() ends it."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.server: Neo4jServer | None = None
        self.error: BaseException | None = None
        self.report: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, name="neo4j-start", daemon=True)

    def begin(self) -> None:
        install_signal_teardown()  # from the main thread: the start itself runs in the background
        self._thread.start()

    def _run(self) -> None:
        try:
            self.server = start(BASE, self.messages.append)
        except BaseException as error:  # reported by the tests that use the server
            self.error = error
            return
        self.report.update(
            bolt_uri=self.server.bolt_uri,
            startup_s=self.server.startup_seconds,
            rss_mib_at_start=self.server.rss_mib(),
            log=str(self.server.log),
        )

    def result(self, timeout: float = 900.0) -> Neo4jServer:
        waited = time.monotonic()
        self._thread.join(timeout)
        self.report.setdefault("waited_by_tests_s", round(time.monotonic() - waited, 1))
        if self.error is not None:
            raise self.error
        if self.server is None:
            raise TimeoutError(f"Neo4j did not start within {timeout:.0f}s")
        return self.server

    def stop(self) -> None:
        if self._thread.is_alive():
            self._thread.join(60)
        if self.server is not None:
            self.report["rss_mib_at_end"] = self.server.rss_mib()
            stopping = time.monotonic()
            self.server.stop()
            self.report["stop_s"] = round(time.monotonic() - stopping, 1)


STARTER = pytest.StashKey[Starter]()


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        starter = Starter()
        session.config.stash[STARTER] = starter
        starter.begin()


def pytest_sessionfinish(session: pytest.Session) -> None:
    starter = session.config.stash.get(STARTER, None)
    if starter is None:
        return
    starter.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "neo4j.json").write_text(json.dumps(starter.report, indent=2, sort_keys=True))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    starter = terminalreporter.config.stash.get(STARTER, None)
    if starter is None:
        return
    report = starter.report
    terminalreporter.section("neo4j")
    for message in starter.messages:
        terminalreporter.write_line(message)
    terminalreporter.write_line(
        f"start {report.get('startup_s')}s (tests waited {report.get('waited_by_tests_s')}s), "
        f"RSS {report.get('rss_mib_at_start')} -> {report.get('rss_mib_at_end')} MiB; "
        f"report: {RESULTS / 'neo4j.json'}"
    )


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest) -> Neo4jServer:
    """The session's Neo4j: `bolt_uri`, `user`, `password`, `ca_cert`, `driver()`."""
    starter = request.config.stash.get(STARTER, None)
    if starter is None:  # requested without being collected first (e.g. by another fixture)
        starter = Starter()
        request.config.stash[STARTER] = starter
        starter.begin()
    try:
        return starter.result()
    except Exception as error:
        pytest.fail(f"Neo4j could not start: {error}", pytrace=False)
