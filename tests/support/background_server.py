"""Start a server for the test session in a background thread, so its start overlaps the unit tests.

The thread stays alive until stop(): servers started with a parent-death signal (the JVMs under emulator/)
are bound to the thread that started them, and would be signalled the moment it ended.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar


class Server(Protocol):
    startup_seconds: float

    def rss_mib(self) -> float | None: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=Server)


class BackgroundStart(Generic[S]):
    """begin() starts `start(say)` in a thread; result() waits for the server; stop() ends both."""

    def __init__(self, name: str, start: Callable[[Callable[[str], None]], S]) -> None:
        self.name = name
        self.messages: list[str] = []
        self.report: dict[str, Any] = {}
        self._start = start
        self._server: S | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name}-owner", daemon=True)

    def begin(self) -> None:
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
