"""A moto server on 127.0.0.1 and a free port, started and always stopped by a context manager.

    with MotoServer(Path("build/emulator")) as url:
        ...  # point the AWS provider (see emulator.override) or boto3 at url

The server runs in its own process group with fake credentials, so nothing can reach real AWS, and it is
stopped on exit even when the body raises (including KeyboardInterrupt and SystemExit).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "ca-central-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server gets SIGTERM if its parent dies without cleaning up (e.g. SIGKILL)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EmulatorError(RuntimeError):
    """The emulator did not start or answer."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS reports free right now (the server binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def moto_server_command() -> list[str]:
    """The moto_server next to this interpreter (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("moto_server")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    if found is None:
        raise EmulatorError("moto_server not found: install moto[server] (make setup)")
    return [found]


class MotoServer:
    """Context manager running `moto_server -H host -p port`; entering returns the endpoint URL."""

    def __init__(
        self,
        log_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        startup_timeout: float = 30.0,
        lambda_docker: bool = False,
    ) -> None:
        self.log_dir = log_dir
        self.host = host
        self.port = port
        self.startup_timeout = startup_timeout
        self.lambda_docker = lambda_docker
        self.log_path = log_dir / "moto.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise EmulatorError("the server is not started")
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> str:
        self.start()
        return self.url

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if self._process is not None:
            raise EmulatorError("the server is already running")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.port is None:
            self.port = free_port(self.host)
        env = {**os.environ, **FAKE_CREDENTIALS, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [*moto_server_command(), "-H", self.host, "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group: stopped as a whole, never by name
            preexec_fn=_die_with_parent,
        )
        try:
            self._wait_ready()
            self._configure()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise EmulatorError(
                    f"moto_server exited with {self._process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise EmulatorError(
            f"moto_server did not answer within {self.startup_timeout:.0f}s; see {self.log_path}"
        )

    def _configure(self) -> None:
        """Lambda without Docker: invocations (e.g. a secret rotation's test step) return a stub answer."""
        body = json.dumps({"lambda": {"use_docker": self.lambda_docker}}).encode()
        request = urllib.request.Request(
            f"{self.url}/moto-api/config", body, {"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5):
            pass

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
