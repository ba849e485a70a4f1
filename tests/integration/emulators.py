"""Start either emulator the same way and stop every one we started, even on interruption.

AWS_EMULATOR=localstack with AWS_ENDPOINT_URL set (the Docker Compose stack) uses that endpoint instead of
starting a process; nothing is stopped then.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from emulator.localstack import LocalStackServer
from emulator.moto import MotoServer
from emulator.process import rss_mib
from tests.integration.tier import kill_terraform

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "build" / "emulators"
BACKENDS = ("moto", "localstack")


def selected_backends() -> tuple[str, ...]:
    """INTEGRATION_EMULATORS (set by `make integration` from AWS_EMULATOR); both by default (`make test`)."""
    raw = os.environ.get("INTEGRATION_EMULATORS", ",".join(BACKENDS))
    chosen = tuple(b.strip() for b in raw.split(",") if b.strip())
    unknown = [b for b in chosen if b not in BACKENDS]
    if unknown or not chosen:
        raise pytest.UsageError(f"INTEGRATION_EMULATORS={raw!r}: choose from {', '.join(BACKENDS)}")
    return chosen


@dataclass
class Emulator:
    """A running emulator: where it answers, which process it is, and how to stop it."""

    backend: str
    endpoint_url: str
    port: int
    pid: int | None
    startup_seconds: float
    log: Path | None
    stop: Callable[[], None]

    def rss_mib(self) -> float | None:
        """Resident memory of the emulator process now (None when external or gone)."""
        return rss_mib(self.pid)


_RUNNING: dict[int, Emulator] = {}
_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every emulator still running, and the terraform runs talking to them (atexit, SIGTERM, end)."""
    kill_terraform()
    with _LOCK:
        running = list(_RUNNING.values())
        _RUNNING.clear()
    for emulator in running:
        emulator.stop()


def _on_terminate(signum: int, frame: FrameType | None) -> None:
    stop_all()
    raise KeyboardInterrupt(f"signal {signum}: emulators stopped")


def install_teardown() -> None:
    """Emulators run in their own sessions (a terminal's Ctrl-C does not reach them): stop them ourselves."""
    atexit.register(stop_all)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _on_terminate)


def _register(emulator: Emulator) -> Emulator:
    with _LOCK:
        _RUNNING[id(emulator)] = emulator
    original = emulator.stop

    def stop() -> None:
        with _LOCK:
            _RUNNING.pop(id(emulator), None)
        original()

    emulator.stop = stop
    return emulator


def start(backend: str, say: Callable[[str], None], tag: str = "") -> Emulator:
    """Start `backend` on a free loopback port and wait until it answers."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{backend}{tag}.log"
    if backend == "localstack":
        external = os.environ.get("AWS_ENDPOINT_URL")
        if external and os.environ.get("AWS_EMULATOR") == "localstack" and not tag:
            say(f"using the LocalStack at {external} (AWS_ENDPOINT_URL)")
            port = int(external.rsplit(":", 1)[-1].strip("/"))
            return Emulator(backend, external, port, None, 0.0, None, lambda: None)
        ensure_localstack_venv(say)
        server = LocalStackServer(log, progress=say).start()
        return _register(
            Emulator(
                backend,
                server.endpoint_url,
                server.port,
                server.pid,
                server.startup_seconds or 0.0,
                log,
                server.stop,
            )
        )
    if backend == "moto":
        return _register(_start_moto(LOGS / f"moto{tag}", say))
    raise ValueError(f"unknown emulator {backend!r} (AWS_EMULATOR is moto or localstack)")


def ensure_localstack_venv(say: Callable[[str], None]) -> None:
    """`make test` does not list the LocalStack venv: build it through the Makefile rule on first use."""
    stamp = ROOT / ".venv-localstack" / ".installed"
    if stamp.exists():
        return
    say("building .venv-localstack (localstack-core, Python 3.13) with make; about a minute")
    done = subprocess.run(
        ["make", "--no-print-directory", ".venv-localstack/.installed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"could not build .venv-localstack:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def _start_moto(log_dir: Path, say: Callable[[str], None]) -> Emulator:
    """moto through the plan tooling's launcher (emulator.moto), so the repo runs moto one way."""
    started = time.monotonic()
    server = MotoServer(log_dir)
    say(f"starting moto_server (log: {server.log_path})")
    url = server.__enter__()
    seconds = time.monotonic() - started
    assert server.port is not None
    pid = listening_pid(server.port)
    say(f"moto ready at {url} after {seconds:.1f}s (pid {pid})")
    return Emulator("moto", url, server.port, pid, seconds, server.log_path, server.stop)


def listening_pid(port: int) -> int | None:
    """The pid listening on 127.0.0.1:port (`ss -ltnp`), for host checks and memory figures."""
    output = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"pid=(\d+),", output)
    return int(found.group(1)) if found else None
