"""The background starter behind the data-store fixtures: errors reach the tests, stop() always stops."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.background_server import BackgroundStart


class FakeServer:
    """Stands in for a JVM server: only the starter's bookkeeping is under test here."""

    startup_seconds = 0.5

    def __init__(self) -> None:
        self.stopped = False

    def rss_mib(self) -> float | None:
        return 1.0

    def stop(self) -> None:
        self.stopped = True


def test_the_server_is_returned_and_stopped_by_its_owner_thread() -> None:
    server = FakeServer()

    def start(say: Callable[[str], None]) -> FakeServer:
        say("started")
        return server

    starter = BackgroundStart("fake", start)
    starter.begin()
    assert starter.result(10) is server
    assert not server.stopped  # the owner thread keeps it until stop()
    starter.stop(10)
    assert server.stopped
    assert starter.messages == ["started"]
    assert starter.report["startup_s"] == 0.5 and "stop_s" in starter.report


def test_a_failed_start_reaches_the_test_with_its_reason() -> None:
    def start(say: Callable[[str], None]) -> FakeServer:
        raise RuntimeError("exited with 1 during start-up:\nlog tail here")

    starter = BackgroundStart("fake", start)
    starter.begin()
    with pytest.raises(RuntimeError, match="log tail here"):
        starter.result(10)
    starter.stop(10)
