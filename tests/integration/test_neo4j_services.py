"""`make services` (python -m emulator.services) as a person uses it: it prints where Neo4j answers and
where the password file is, the server answers with those, and Ctrl-C stops it and cleans up."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from emulator.process import rss_mib

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def read_until(process: subprocess.Popen[str], marker: str, timeout: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    pytest.fail(f"no {marker!r} from emulator.services:\n" + "\n".join(lines))


def test_services_prints_how_to_connect_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator.services", "--base-dir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = read_until(process, "Ctrl-C stops them", timeout=600)
        shown = dict(line.split(maxsplit=1) for line in lines if line.startswith("  "))
        password = Path(shown["password_file"]).read_text()
        assert password not in "\n".join(lines), "the password itself is never printed"
        assert Path(shown["password_file"]).stat().st_mode & 0o077 == 0, "the password file is private"
        host_port = shown["bolt_uri"].removeprefix("bolt+s://")
        with neo4j.GraphDatabase.driver(
            f"bolt://{host_port}",
            auth=(shown["user"], password),
            encrypted=True,
            trusted_certificates=neo4j.TrustCustomCAs(shown["ca_cert"]),
        ) as driver:
            records, _, _ = driver.execute_query("RETURN apoc.version() AS version")
        assert records[0]["version"] == "5.15.0"
        ready = next(line for line in lines if "Neo4j ready" in line)
        jvm = int(ready.rsplit("pid ", 1)[1].rstrip(")"))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=90) == 0
        assert rss_mib(jvm) is None, "the JVM is gone"
        assert not Path(shown["data_dir"]).exists(), "the data directory is removed"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
