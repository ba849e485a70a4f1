"""LocalStack (community, no Docker) as a host process on 127.0.0.1, for the integration tier.

localstack-core needs Python >= 3.12, so it lives in its own venv (`.venv-localstack`, built by the Makefile
from requirements-localstack.lock). It runs with its working directory outside the repository: the repo's
`localstack/` folder (the compose file) would otherwise shadow the `localstack` package.

The community runtime answers "501 not included in your license plan" for some services; NOT_COVERED_TYPES
names the Terraform resource types that therefore cannot be applied here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from emulator.moto import EmulatorError, free_port
from emulator.process import log_tail

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv-localstack" / "bin" / "python"

# Services the community runtime lacks ("not included in your license plan") -> the resource types that use them.
NOT_COVERED_SERVICES: Mapping[str, tuple[str, ...]] = {
    "ecs": ("aws_ecs_",),
    "ecr": ("aws_ecr_",),
    "efs": ("aws_efs_",),
    "elbv2": ("aws_lb", "aws_lb_", "aws_alb", "aws_alb_"),
    "servicediscovery": ("aws_service_discovery_",),
    "cloudtrail": ("aws_cloudtrail",),
    "backup": ("aws_backup_",),
    # Application Auto Scaling targets ECS services, which do not exist here.
    "application-autoscaling": ("aws_appautoscaling_",),
}


def not_covered_service(resource_type: str) -> str | None:
    """The community-missing service a resource type needs, or None when LocalStack covers it."""
    for service, prefixes in NOT_COVERED_SERVICES.items():
        for prefix in prefixes:
            if resource_type == prefix or (prefix.endswith("_") and resource_type.startswith(prefix)):
                return service
    return None


class LocalStackServer:
    """Start LocalStack on 127.0.0.1:PORT, wait until healthy, stop it (and its process group) on exit.

    Use as a context manager, or call start()/stop() explicitly; stop() is idempotent.
    """

    def __init__(
        self,
        log_path: Path,
        port: int | None = None,
        python: Path = VENV_PYTHON,
        ready_timeout: float = 90.0,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.log_path = log_path
        self.python = python
        self.ready_timeout = ready_timeout
        self.progress = progress or (lambda _message: None)
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds: float | None = None
        self._workdir: str | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise EmulatorError("LocalStack is not running")
        return self.process.pid

    def environment(self, workdir: Path) -> dict[str, str]:
        """The process environment: loopback only, state under a temp dir, nothing fetched from outside."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOCALSTACK_", "PYTHON"))}
        env.update(
            GATEWAY_LISTEN=f"127.0.0.1:{self.port}",
            # The default (twisted) gateway ignores GATEWAY_LISTEN's host and binds 0.0.0.0; hypercorn
            # binds exactly the address given (the loopback-only host test caught this).
            GATEWAY_SERVER="hypercorn",
            LOCALSTACK_HOST=f"localhost:{self.port}",
            OVERRIDE_IN_DOCKER="0",  # this box has /.dockerenv; without it state goes to /var/lib/localstack
            FILESYSTEM_ROOT=str(workdir / "fs"),
            TMPDIR=str(workdir / "tmp"),
            DISABLE_EVENTS="1",
            SKIP_SSL_CERT_DOWNLOAD="1",
            DNS_ADDRESS="0",
            # No OpenSearch can be installed here: point domains at a closed loopback port so they leave
            # "Processing" instead of downloading a cluster (the control plane is all the tier needs).
            OPENSEARCH_CUSTOM_BACKEND="http://127.0.0.1:9",
            OPENSEARCH_ENDPOINT_STRATEGY="path",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> LocalStackServer:
        if not self.python.exists():
            raise EmulatorError(
                f"{self.python} is missing: build the LocalStack venv with `make .venv-localstack/.installed`"
            )
        self._workdir = tempfile.mkdtemp(prefix="localstack-")
        workdir = Path(self._workdir)
        (workdir / "tmp").mkdir()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        self.progress(f"starting LocalStack on {self.endpoint_url} (log: {self.log_path})")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "localstack.runtime.main"],
                cwd=workdir,  # outside the repo: its localstack/ folder would shadow the package
                env=self.environment(workdir),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() ends every child with it
            )
        try:
            self._wait_ready(started)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        self.progress(f"LocalStack ready after {self.startup_seconds:.1f}s (pid {self.process.pid})")
        return self

    def _wait_ready(self, started: float) -> None:
        assert self.process is not None
        while time.monotonic() - started < self.ready_timeout:
            if self.process.poll() is not None:
                raise EmulatorError(
                    f"LocalStack exited with {self.process.returncode} during start-up:\n{self.log_tail()}"
                )
            if health(self.endpoint_url) is not None:
                return
            time.sleep(0.25)
        raise EmulatorError(
            f"LocalStack did not answer {self.endpoint_url}/_localstack/health within "
            f"{self.ready_timeout:.0f}s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM the process group, SIGKILL it if it lingers, then remove the temp state."""
        process, self.process = self.process, None
        if process is not None:
            stop_process_group(process, timeout)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> LocalStackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def stop_process_group(process: subprocess.Popen[bytes], timeout: float) -> None:
    """End a process started with start_new_session=True and all its children."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
    _signal_group(process.pid, signal.SIGKILL)  # stragglers in the group, if any
    if process.poll() is None:
        process.wait(5)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def health(endpoint_url: str) -> dict[str, Any] | None:
    """LocalStack's health document, or None while it does not answer."""
    try:
        with urllib.request.urlopen(f"{endpoint_url}/_localstack/health", timeout=2) as response:
            document = json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return document if isinstance(document, dict) and document.get("services") else None
