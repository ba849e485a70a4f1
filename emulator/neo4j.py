"""A real Neo4j 5.15 Community server with APOC core on 127.0.0.1, for the tests and `make services`.

    server = start(Path("build/neo4j"), print)
    with server.driver() as driver:          # bolt over TLS, the test CA trusted, auth on
        driver.execute_query("RETURN apoc.version()")
    server.stop()                            # also at exit and on SIGTERM/SIGHUP

The jars come from Maven Central (emulator/neo4j_jars.py); the JVM runs org.neo4j.server.CommunityEntryPoint
as the distribution's bin/neo4j does, with a neo4j.conf written here: Bolt on a free loopback port with TLS
required (a test CA and server certificate made at each start), HTTP off, auth on with a generated password
set by `neo4j-admin dbms set-initial-password` before the first start, APOC procedures allowed.
`data_dir=` starts on an existing store (a restored volume) with the password it was created with; that
directory is then the caller's and is left in place. Everything else the start created is removed by stop(),
except the logs.
"""

from __future__ import annotations

import atexit
import os
import queue
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable
from neo4j.exceptions import Neo4jError as DriverError

from emulator.localstack import stop_process_group
from emulator.moto import _die_with_parent, free_port
from emulator.neo4j_jars import Neo4jError, ensure_jars, java_command
from emulator.process import log_tail, rss_mib
from emulator.tls import write_test_pki

__all__ = ["Neo4jError", "Neo4jServer", "start", "stop_all"]

USER = "neo4j"
HEAP = "512m"
PAGE_CACHE = "128m"
# What bin/neo4j and the default neo4j.conf of 5.15 pass to the JVM on Java 17.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


@dataclass(eq=False)
class Neo4jServer:
    """A running server: where Bolt answers, who may log in, where its files are, and how to stop it."""

    bolt_uri: str
    port: int
    user: str
    password: str = field(repr=False)
    password_file: Path
    ca_cert: Path
    log: Path
    data_dir: Path
    instance_dir: Path
    startup_seconds: float
    process: subprocess.Popen[bytes] = field(repr=False)
    owns_data: bool = True
    _stopped: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def driver(self, **config: Any) -> neo4j.Driver:
        """A Python driver trusting the test CA (`bolt+s://` trusts only the system's CAs, so the driver
        takes `bolt://` with encrypted=True and the CA: the same TLS connection)."""
        return neo4j.GraphDatabase.driver(
            f"bolt://127.0.0.1:{self.port}",
            auth=(self.user, self.password),
            encrypted=True,
            trusted_certificates=neo4j.TrustCustomCAs(str(self.ca_cert)),
            **config,
        )

    def rss_mib(self) -> float | None:
        """Resident memory of the JVM now (None once it is gone)."""
        return rss_mib(self.pid)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of neo4j.log (the server's own log) and of the JVM's console output."""
        logs = self.instance_dir / "logs"
        console = logs / "console.log"
        tail = log_tail(self.log, lines)
        if console.exists() and console.stat().st_size:
            tail += "\n" + log_tail(console, lines)
        return tail

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM the JVM's process group (a clean shutdown), SIGKILL after `timeout`; remove what start made."""
        with _LOCK:
            if self._stopped:
                return
            self._stopped = True
            _RUNNING.discard(self)
        stop_process_group(self.process, timeout)
        _remove_instance(self.instance_dir, self.data_dir if self.owns_data else None)


def _remove_instance(instance_dir: Path, data_dir: Path | None) -> None:
    """Remove the instance's config, certificates, password file and (when it made it) data; keep logs."""
    if data_dir is not None:
        shutil.rmtree(data_dir, ignore_errors=True)
    if instance_dir.exists():
        for child in instance_dir.iterdir():
            if child.name != "logs":
                shutil.rmtree(child) if child.is_dir() else child.unlink(missing_ok=True)


def _config(instance: Path, jars: Path, data: Path, port: int, certificates: Path) -> str:
    settings = {
        "server.directories.data": data,
        "server.directories.logs": instance / "logs",
        "server.directories.run": instance / "run",
        "server.directories.import": instance / "import",
        "server.directories.lib": jars / "lib",
        "server.directories.plugins": jars / "plugins",
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.bolt.tls_level": "REQUIRED",
        "dbms.ssl.policy.bolt.enabled": "true",
        "dbms.ssl.policy.bolt.base_directory": certificates,
        "dbms.ssl.policy.bolt.private_key": "server-key.pem",
        "dbms.ssl.policy.bolt.public_certificate": "server.pem",
        "dbms.ssl.policy.bolt.client_auth": "NONE",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "dbms.security.procedures.unrestricted": "apoc.*",
        "server.memory.heap.initial_size": HEAP,
        "server.memory.heap.max_size": HEAP,
        "server.memory.pagecache.size": PAGE_CACHE,
        # Transaction logs grow as written instead of 256 MiB each up front: small stores, quick archives.
        "db.tx_log.preallocate": "false",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _admin(java: str, jars: Path, instance: Path, arguments: str) -> None:
    """Run neo4j-admin (org.neo4j.cli.AdminTool) with its arguments in a 0600 @file, never on a command line."""
    argfile = instance / "admin.args"
    argfile.touch(mode=0o600)
    argfile.write_text(arguments)
    try:
        done = subprocess.run(
            [java, "-cp", f"{jars / 'lib'}/*", "org.neo4j.cli.AdminTool", f"@{argfile}"],
            env={**os.environ, "NEO4J_HOME": str(instance), "NEO4J_CONF": str(instance / "conf")},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        argfile.unlink(missing_ok=True)
    if done.returncode != 0:
        raise Neo4jError(
            f"neo4j-admin {arguments.split()[:2]} failed with {done.returncode}: {done.stderr[-1500:]}"
        )


def _spawn(command: list[str], log: IO[bytes], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the JVM from a keeper thread that lives exactly as long as it: the JVM is told to die with
    the thread that started it (PR_SET_PDEATHSIG), so a caller's short-lived thread must not be that one."""
    box: queue.Queue[subprocess.Popen[bytes] | BaseException] = queue.Queue()

    def keep() -> None:
        try:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group, stopped as a whole
                preexec_fn=_die_with_parent,
            )
        except BaseException as error:
            box.put(error)
            return
        box.put(process)
        process.wait()

    threading.Thread(target=keep, name="neo4j-keeper", daemon=True).start()
    got = box.get()
    if isinstance(got, BaseException):
        raise got
    return got


def start(
    base_dir: Path,
    say: Callable[[str], None],
    *,
    data_dir: Path | None = None,
    password: str | None = None,
    port: int | None = None,
    startup_timeout: float = 180.0,
) -> Neo4jServer:
    """Start Neo4j under `base_dir` (a fresh instance folder) and wait until Bolt answers an authenticated
    TLS query. On failure the server is stopped and Neo4jError carries the log tail."""
    started = time.monotonic()
    if data_dir is not None and (data_dir / "databases" / "system").exists() and password is None:
        raise Neo4jError(f"{data_dir} holds a store: start it with the password it was created with")
    jars = ensure_jars(say)
    java = java_command()
    base_dir.mkdir(parents=True, exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="neo4j-", dir=base_dir)).resolve()
    data = (data_dir or instance / "data").resolve()
    owned = None if data_dir is not None else data
    try:
        server = _launch(java, jars, instance, data, password, port or free_port(), say)
    except BaseException:
        _remove_instance(instance, owned)
        raise
    server.owns_data = owned is not None
    _track(server)
    try:
        _wait_ready(server, started + startup_timeout)
    except BaseException:
        server.stop(timeout=10)
        raise
    server.startup_seconds = round(time.monotonic() - started, 2)
    say(f"Neo4j ready at {server.bolt_uri} after {server.startup_seconds:.1f}s (pid {server.pid})")
    return server


def _launch(
    java: str,
    jars: Path,
    instance: Path,
    data: Path,
    password: str | None,
    port: int,
    say: Callable[[str], None],
) -> Neo4jServer:
    """Write the instance's config, certificates and password, set the initial password on a new store,
    and start the JVM."""
    data.mkdir(parents=True, exist_ok=True)
    existing = (data / "databases" / "system").exists()
    password = password or secrets.token_urlsafe(24)
    for folder in ("conf", "logs", "run", "import"):
        (instance / folder).mkdir()
    certificates = instance / "certificates" / "bolt"
    pki = write_test_pki(certificates)
    (instance / "conf" / "neo4j.conf").write_text(_config(instance, jars, data, port, certificates))
    password_file = instance / "password"
    password_file.touch(mode=0o600)
    password_file.write_text(password)
    if not existing:
        _admin(java, jars, instance, f"dbms set-initial-password {password}")
    say(f"starting Neo4j on 127.0.0.1:{port} (logs: {instance / 'logs'})")
    command = [
        java,
        *JVM_FLAGS,
        f"-Xms{HEAP}",
        f"-Xmx{HEAP}",
        "-cp",
        f"{jars / 'plugins'}/*:{instance / 'conf'}/*:{jars / 'lib'}/*",
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={instance}",
        f"--config-dir={instance / 'conf'}",
    ]
    env = {**os.environ, "NEO4J_HOME": str(instance), "NEO4J_CONF": str(instance / "conf")}
    with (instance / "logs" / "console.log").open("ab") as console:
        process = _spawn(command, console, env)
    return Neo4jServer(
        bolt_uri=f"bolt+s://127.0.0.1:{port}",
        port=port,
        user=USER,
        password=password,
        password_file=password_file,
        ca_cert=pki.ca_cert,
        log=instance / "logs" / "neo4j.log",
        data_dir=data,
        instance_dir=instance,
        startup_seconds=0.0,
        process=process,
    )


def _wait_ready(server: Neo4jServer, deadline: float) -> None:
    """Until an authenticated query over TLS answers; fail at once if the JVM exits or auth is refused."""
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise Neo4jError(f"Neo4j exited with {server.process.returncode}:\n{server.log_tail()}")
        if "Started." in _read(server.log):
            try:
                with server.driver(connection_timeout=5) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as error:
                raise Neo4jError(f"Neo4j refused the credentials: {error.message}") from error
            except (ServiceUnavailable, DriverError, OSError) as error:
                last = error
        time.sleep(0.25)
    raise Neo4jError(f"Neo4j did not answer on {server.bolt_uri} in time ({last}):\n{server.log_tail()}")


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


# --- every server this process started is stopped at exit and on SIGTERM/SIGHUP ---------------------------
_RUNNING: set[Neo4jServer] = set()
_LOCK = threading.Lock()
_TEARDOWN_INSTALLED = False


def stop_all() -> None:
    with _LOCK:
        running = list(_RUNNING)
    for server in running:
        server.stop(timeout=20)


def _track(server: Neo4jServer) -> None:
    global _TEARDOWN_INSTALLED
    with _LOCK:
        _RUNNING.add(server)
        first = not _TEARDOWN_INSTALLED
        _TEARDOWN_INSTALLED = True
    if first:
        atexit.register(stop_all)
    install_signal_teardown()


def install_signal_teardown() -> None:
    """Stop every server on SIGTERM/SIGHUP, then hand the signal to whoever handled it before (from the
    main thread only; servers run in their own sessions, so a terminal's signals do not reach them)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.getsignal(sig)
        if getattr(previous, "stops_neo4j", False):
            continue
        signal.signal(sig, _chained(previous))


def _chained(previous: Any) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop_all()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            raise SystemExit(128 + signum)

    handler.stops_neo4j = True  # type: ignore[attr-defined]
    return handler
