"""Start a server for the test session in a background thread, so its start overlaps the unit tests.

The thread stays alive until stop(): servers started with a parent-death signal (the JVMs under emulator/)
are bound to the thread that started them, and would be signalled the moment it ended.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import pytest

RESULTS = Path(__file__).resolve().parents[2] / "build" / "test-results"


class Server(Protocol):
    startup_seconds: float

    def rss_mib(self) -> float | None: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=Server)


class BackgroundStart(Generic[S]):
    """begin() starts `start(say)` in a thread; result() waits for the server; stop() ends both."""

    def __init__(
        self,
        name: str,
        start: Callable[[Callable[[str], None]], S],
        prepare: Callable[[], None] = lambda: None,
    ) -> None:
        """`prepare` runs in begin()'s (main) thread first, e.g. the launcher's signal handlers."""
        self.name = name
        self._prepare = prepare
        self.messages: list[str] = []
        self.report: dict[str, Any] = {}
        self._start = start
        self._server: S | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name}-owner", daemon=True)

    def begin(self) -> None:
        self._prepare()
        self._thread.start()

    def _run(self) -> None:
        try:
            self._server = self._start(self.messages.append)
        except BaseException as error:  # reported by the tests that use the server
            self._error = error
        finally:
            self._ready.set()
        if self._server is not None:
            self.report.update(
                startup_s=round(self._server.startup_seconds, 1), rss_mib_at_start=self._server.rss_mib()
            )
            self._release.wait()
            self._stop_server(self._server)

    def _stop_server(self, server: S) -> None:
        self.report["rss_mib_at_end"] = server.rss_mib()
        stopping = time.monotonic()
        server.stop()
        self.report["stop_s"] = round(time.monotonic() - stopping, 1)

    def result(self, timeout: float = 900.0) -> S:
        waited = time.monotonic()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"{self.name} did not start within {timeout:.0f}s")
        self.report.setdefault("waited_by_tests_s", round(time.monotonic() - waited, 1))
        if self._error is not None:
            raise self._error
        assert self._server is not None
        return self._server

    def stop(self, timeout: float = 90.0) -> None:
        """Release the owner thread, which stops the server, and wait for it."""
        self._release.set()
        if self._thread.is_alive():
            self._thread.join(timeout)


def write_report(starter: BackgroundStart[Any], results: Path = RESULTS) -> Path:
    """build/test-results/<name>.json: start-up time, memory at start and end, how long the tests waited."""
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{starter.name.lower()}.json"
    path.write_text(json.dumps(starter.report, indent=2, sort_keys=True))
    return path


def summarize(terminalreporter: Any, starter: BackgroundStart[Any], results: Path = RESULTS) -> None:
    """The server's section of pytest's closing summary: its messages and figures."""
    report = starter.report
    terminalreporter.section(starter.name.lower())
    for message in starter.messages:
        terminalreporter.write_line(message)
    if "startup_s" not in report:
        terminalreporter.write_line("did not start (see the failed tests for the reason and log tail)")
        return
    terminalreporter.write_line(
        f"start {report.get('startup_s')}s (tests waited {report.get('waited_by_tests_s')}s), "
        f"RSS {report.get('rss_mib_at_start')} -> {report.get('rss_mib_at_end')} MiB; "
        f"report: {results / (starter.name.lower() + '.json')}"
    )


class ServerPlugin(Generic[S]):
    """The pytest side of one session server: start at collection, stop at the end, summary, fixture value.

    A fixture module binds its hooks to one instance (`pytest_sessionfinish = PLUGIN.sessionfinish`, ...).
    """

    def __init__(
        self,
        name: str,
        fixture: str,
        start: Callable[[Callable[[str], None]], S],
        prepare: Callable[[], None],
    ) -> None:
        self.name, self.fixture = name, fixture
        self._start, self._prepare = start, prepare
        self._key = pytest.StashKey[BackgroundStart[S]]()

    def _begin(self, config: pytest.Config) -> BackgroundStart[S]:
        # the signal handlers from the main thread: the start itself runs in the background
        config.stash[self._key] = starter = BackgroundStart(self.name, self._start, self._prepare)
        starter.begin()
        return starter

    def collection_finish(self, session: pytest.Session) -> None:
        if session.config.option.collectonly:
            return
        if any(self.fixture in getattr(item, "fixturenames", ()) for item in session.items):
            self._begin(session.config)

    def sessionfinish(self, session: pytest.Session) -> None:
        starter = session.config.stash.get(self._key, None)
        if starter is not None:
            starter.stop()
            write_report(starter)

    def terminal_summary(self, terminalreporter: Any) -> None:
        starter = terminalreporter.config.stash.get(self._key, None)
        if starter is not None:
            summarize(terminalreporter, starter)

    def server(self, request: pytest.FixtureRequest) -> S:
        """The started server; if it could not start, the test fails with the reason and log tail."""
        starter = request.config.stash.get(self._key, None) or self._begin(request.config)
        try:
            return starter.result()
        except Exception as error:
            failure = f"{self.name} could not start: {error}"
        pytest.fail(
            failure, pytrace=False
        )  # outside the except: the reason and log tail, not a chained trace
