"""A real OpenSearch 2.19 single node on 127.0.0.1 (no Docker): HTTPS, basic auth, k-NN, lang-painless.

    server = start(Path("build"), print)   # waits until the cluster is yellow or green
    ...  # server.url, server.user, server.password, server.ca_cert
    server.stop()                           # also at exit and on SIGTERM

The installation comes from Maven Central (emulator/opensearch_install.py). Each start gets its own run
directory under base_dir/opensearch/ (config, a throwaway test CA and node certificate, a generated admin
password, data, logs), removed by stop(); only the console log is kept for the log tail. HTTP and transport
bind free ports on 127.0.0.1 (port 0; the node writes the ports it took into logs/*.ports). Heap 512 MB.

k-NN: Maven Central's opensearch-knn zip carries no native libraries (faiss, nmslib), so indices use the
Lucene engine (`"engine": "lucene"` in the knn_vector mapping); KNN_ENGINE says so to callers.

The thread that calls start() must outlive the server: Linux ties the parent-death signal (which stops the
JVM if this process is killed outright) to the thread that started the child.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import pwd
import secrets
import shutil
import signal
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import bcrypt

from emulator.localstack import stop_process_group
from emulator.moto import EmulatorError, _die_with_parent
from emulator.opensearch_install import install, java_home, opensearch_version
from emulator.process import log_tail, rss_mib
from emulator.tls import write_test_pki

KNN_ENGINE = "lucene"
ADMIN_USER = "admin"
HEAP = "512m"
READY_TIMEOUT = 240.0
UNPRIVILEGED_USER = "nobody"


class OpenSearchServer:
    """One running node; stop() is idempotent and removes the run directory (the console log stays)."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        run_dir: Path,
        log: Path,
        password: str,
        ca_cert: Path,
        started: float,
    ) -> None:
        self.process: subprocess.Popen[bytes] | None = process
        self.pid = process.pid
        self.run_dir = run_dir
        self.log = log
        self.user: str | None = ADMIN_USER
        self.password: str | None = password
        self.ca_cert: Path | None = ca_cert
        self.version = opensearch_version()
        self.knn_engine = KNN_ENGINE
        self.port = 0
        self.startup_seconds = 0.0  # from the start() call to cluster yellow: a first install included
        self._started = started

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __repr__(self) -> str:  # never the password
        return f"OpenSearchServer(url={self.url!r}, pid={self.pid}, version={self.version!r})"

    def rss_mib(self) -> float | None:
        """Resident memory of the JVM now (None once it is gone)."""
        return rss_mib(self.pid)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log, lines)

    def request(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """One JSON request as the admin user (the launcher's own readiness checks; tests use opensearch-py)."""
        data = None if body is None else json.dumps(body).encode()
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        context = ssl.create_default_context(cafile=str(self.ca_cert))
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            error.close()  # it holds the response's socket
            raise

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait for the ports file, then for cluster health yellow or green (security index initialised)."""
        deadline = time.monotonic() + timeout  # from the JVM's launch (a first install comes before)
        ports = self.run_dir / "logs" / "http.ports"
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise EmulatorError(f"OpenSearch exited with {code} during start-up:\n{self.log_tail()}")
            if not self.port and ports.exists():
                self.port = int(ports.read_text().split()[0].rsplit(":", 1)[1])
            if self.port:
                try:
                    health = self.request("GET", "/_cluster/health?wait_for_status=yellow&timeout=2s")
                    if health.get("status") in ("yellow", "green"):
                        self.startup_seconds = time.monotonic() - self._started
                        return
                    last_error = f"cluster status {health.get('status')}"
                except (urllib.error.URLError, OSError, ValueError) as error:
                    last_error = str(error)
            time.sleep(0.5)
        raise EmulatorError(
            f"OpenSearch was not ready within {timeout:.0f}s ({last_error}):\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 30.0) -> None:
        process, self.process = self.process, None
        _RUNNING.discard(self)
        if process is not None:
            stop_process_group(process, timeout)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _node_settings(run_dir: Path, pki_subject: str) -> str:
    """opensearch.yml of one run: loopback, port 0 with ports files, single node, TLS and the security index."""
    settings = {
        "cluster.name": "notegen-test",
        "node.name": "node-1",
        "network.host": "127.0.0.1",
        "http.port": 0,
        "transport.port": 0,
        "node.portsfile": True,
        "discovery.type": "single-node",
        "path.data": str(run_dir / "data"),
        "path.logs": str(run_dir / "logs"),
        # A shared test machine's disk may be nearly full: that must not block shard allocation.
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "plugins.security.ssl.transport.pemcert_filepath": "tls/server.pem",
        "plugins.security.ssl.transport.pemkey_filepath": "tls/server-key.pem",
        "plugins.security.ssl.transport.pemtrustedcas_filepath": "tls/ca.pem",
        "plugins.security.ssl.transport.enforce_hostname_verification": False,
        "plugins.security.ssl.http.enabled": True,
        "plugins.security.ssl.http.pemcert_filepath": "tls/server.pem",
        "plugins.security.ssl.http.pemkey_filepath": "tls/server-key.pem",
        "plugins.security.ssl.http.pemtrustedcas_filepath": "tls/ca.pem",
        "plugins.security.allow_default_init_securityindex": True,
        "plugins.security.nodes_dn": [pki_subject],
        "plugins.security.restapi.roles_enabled": ["all_access"],
        "plugins.security.system_indices.enabled": True,
        "plugins.security.audit.type": "noop",
    }
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())


def _internal_users(password: str) -> str:
    """The security plugin's user database: only our admin (the demo users and their known passwords go)."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()
    return (
        "_meta:\n  type: internalusers\n  config_version: 2\n"
        f"{ADMIN_USER}:\n  hash: {json.dumps(hashed)}\n  reserved: true\n"
        '  backend_roles: ["admin"]\n  description: "test admin, password generated per run"\n'
    )


def prepare_run(home: Path, run_dir: Path, password: str) -> Path:
    """The run's config folder (copied from the installation) with its settings, certificates and users."""
    config = run_dir / "config"
    shutil.copytree(home / "config", config)
    for folder in ("data", "logs", "tmp"):
        (run_dir / folder).mkdir()
    pki = write_test_pki(config / "tls")
    (config / "opensearch.yml").write_text(_node_settings(run_dir, pki.subject))
    (config / "jvm.options.d" / "heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n")
    # The launcher runs the JVM from OPENSEARCH_HOME: its relative gc log and heap dump paths go to the run.
    options = config / "jvm.options"
    options.write_text(
        options.read_text()
        .replace("=logs/", f"={run_dir}/logs/")
        .replace("HeapDumpPath=data", f"HeapDumpPath={run_dir}/data")
    )
    (config / "opensearch-security" / "internal_users.yml").write_text(_internal_users(password))
    for folder, _dirs, files in os.walk(config):  # the security plugin wants its config private
        Path(folder).chmod(0o700)
        for name in files:
            Path(folder, name).chmod(0o600)
    return pki.ca_cert


def _prune_logs(root: Path, keep: int = 5) -> None:
    """Keep the console logs of running nodes and of the last few runs."""
    finished = [log for log in root.glob("run-*.log") if not log.with_suffix("").exists()]
    for log in sorted(finished, key=lambda path: path.stat().st_mtime)[:-keep]:
        log.unlink(missing_ok=True)


def _unprivileged(run_dir: Path) -> list[str]:
    """OpenSearch refuses to run as root (our test machines run everything as root): run it as `nobody`.

    The run directory becomes nobody's; the installation only needs to be readable. setpriv sets the
    parent-death signal again after the user change (the kernel clears it there)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise EmulatorError("running as root needs setpriv (util-linux) to start OpenSearch as nobody")
    user = pwd.getpwnam(UNPRIVILEGED_USER)
    for folder, _dirs, files in os.walk(run_dir):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            os.chown(name, user.pw_uid, user.pw_gid)
    return [
        setpriv,
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--clear-groups",
        "--pdeathsig=TERM",
    ]


def start(base_dir: Path, say: Callable[[str], None]) -> OpenSearchServer:
    """Install if needed, start a node and wait until its cluster is yellow or green."""
    started = time.monotonic()
    install_signal_stop()  # from the main thread; a background starter relies on its caller's
    home = install(base_dir, say)
    root = base_dir.resolve() / "opensearch"
    _prune_logs(root)
    run_dir = root / f"run-{uuid.uuid4().hex[:8]}"
    log = root / f"{run_dir.name}.log"
    password = secrets.token_urlsafe(24)
    ca_cert = prepare_run(home, run_dir, password)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENSEARCH_", "JAVA_OPTS"))},
        "OPENSEARCH_JAVA_HOME": str(java_home()),
        "OPENSEARCH_PATH_CONF": str(run_dir / "config"),
        "OPENSEARCH_TMPDIR": str(run_dir / "tmp"),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*_unprivileged(run_dir), str(home / "bin" / "opensearch")],
            cwd=run_dir,  # jvm.options writes gc logs and heap dumps relative to it
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole, never by name
            preexec_fn=_die_with_parent,
        )
    server = OpenSearchServer(process, run_dir, log, password, ca_cert, started)
    _RUNNING.add(server)
    say(f"starting OpenSearch {server.version} (pid {server.pid}, log: {log})")
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    say(f"OpenSearch ready at {server.url} after {server.startup_seconds:.1f}s, RSS {server.rss_mib()} MiB")
    return server


_RUNNING: set[OpenSearchServer] = set()
_signals_installed = False


def stop_all() -> None:
    """Stop every node this process started (atexit, SIGTERM)."""
    for server in list(_RUNNING):
        server.stop()


def install_signal_stop() -> None:
    """On SIGTERM/SIGHUP stop our nodes, then do what the previous handler did (main thread only; once)."""
    global _signals_installed
    if _signals_installed or threading.current_thread() is not threading.main_thread():
        return
    _signals_installed = True
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            stop_all()
            if callable(previous):
                previous(signum, frame)
            elif previous == signal.SIG_DFL:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        signal.signal(sig, handler)


atexit.register(stop_all)
