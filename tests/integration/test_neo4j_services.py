"""`make services` (python -m emulator.services) as a person uses it: it prints where each server answers
and where its password file is, the servers answer with those, and Ctrl-C stops them and cleans up."""

from __future__ import annotations

import base64
import json
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import neo4j
import pytest

from emulator.process import rss_mib
from emulator.services import present

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


def sections(lines: list[str]) -> dict[str, dict[str, str]]:
    """`name:` headers followed by indented `key value` lines."""
    found: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in lines:
        if line.endswith(":") and not line.startswith(" "):
            current = found.setdefault(line[:-1], {})
        elif line.startswith("  ") and current is not None:
            key, value = line.split(maxsplit=1)
            current[key] = value
    return found


def private_password(shown: dict[str, str], output: str) -> str:
    path = Path(shown["password_file"])
    assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    password = path.read_text()
    assert password and password not in output, "the password itself is never printed"
    return password


def check_neo4j(shown: dict[str, str], password: str) -> None:
    host_port = shown["bolt_uri"].removeprefix("bolt+s://")
    with neo4j.GraphDatabase.driver(
        f"bolt://{host_port}",
        auth=(shown["user"], password),
        encrypted=True,
        trusted_certificates=neo4j.TrustCustomCAs(shown["ca_cert"]),
    ) as driver:
        records, _, _ = driver.execute_query("RETURN apoc.version() AS version")
    assert records[0]["version"] == "5.15.0"


def check_opensearch(shown: dict[str, str], password: str) -> None:
    token = base64.b64encode(f"{shown['user']}:{password}".encode()).decode()
    request = urllib.request.Request(
        f"{shown['url']}/_cluster/health", headers={"Authorization": f"Basic {token}"}
    )
    context = ssl.create_default_context(cafile=shown["ca_cert"])
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        assert json.load(response)["status"] in {"green", "yellow"}


def closed(url: str) -> bool:
    host, port = url.split("://", 1)[1].rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, int(port))) != 0


def test_services_prints_how_to_connect_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator.services"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = read_until(process, "Ctrl-C stops them", timeout=900)
        output = "\n".join(lines)
        shown = sections(lines)
        assert sorted(shown) == sorted(present()), output
        check_neo4j(shown["neo4j"], private_password(shown["neo4j"], output))
        if "opensearch" in shown:
            check_opensearch(shown["opensearch"], private_password(shown["opensearch"], output))
        ready = next(line for line in lines if "Neo4j ready" in line)
        jvm = int(ready.rsplit("pid ", 1)[1].rstrip(")"))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0
        assert rss_mib(jvm) is None, "the Neo4j JVM is gone"
        assert not Path(shown["neo4j"]["data_dir"]).exists(), "the Neo4j data directory is removed"
        assert all(closed(s.get("bolt_uri") or s["url"]) for s in shown.values()), "a server still listens"
        assert all(not Path(s["password_file"]).exists() for s in shown.values()), (
            "password files are removed"
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
