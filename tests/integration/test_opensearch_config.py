"""The OpenSearch run configuration, without a JVM: loopback, TLS on, only our admin, paths inside the run."""

from __future__ import annotations

import stat
from pathlib import Path

import bcrypt
import yaml

from emulator.opensearch import HEAP, prepare_run

JVM_OPTIONS = """-Xms1g
-Xmx1g
-XX:HeapDumpPath=data
-XX:ErrorFile=logs/hs_err_pid%p.log
9-:-Xlog:gc*,gc+age=trace,safepoint:file=logs/gc.log:utctime,pid,tags:filecount=32,filesize=64m
"""


def fake_home(path: Path) -> Path:
    """The part of an installation a run copies: its config folder (as the integ-test-zip ships it)."""
    config = path / "config"
    (config / "jvm.options.d").mkdir(parents=True)
    (config / "opensearch-security").mkdir()
    (config / "opensearch-security" / "internal_users.yml").write_text(
        "admin:\n  hash: demo\nkibanaserver: {}\n"
    )
    (config / "jvm.options").write_text(JVM_OPTIONS)
    (config / "opensearch.yml").write_text("# shipped\n")
    return path


def test_a_run_is_private_loopback_tls_and_knows_only_its_admin(tmp_path: Path) -> None:
    run = tmp_path / "run"
    ca_cert = prepare_run(fake_home(tmp_path / "home"), run, "s3cret-generated")
    config = run / "config"
    settings = yaml.safe_load((config / "opensearch.yml").read_text())
    assert settings["network.host"] == "127.0.0.1"
    assert settings["http.port"] == 0 and settings["transport.port"] == 0 and settings["node.portsfile"]
    assert settings["plugins.security.ssl.http.enabled"] is True
    assert settings["path.data"] == str(run / "data") and settings["path.logs"] == str(run / "logs")
    assert settings["plugins.security.nodes_dn"] == ["CN=node,O=notegen-test"]
    assert ca_cert == config / "tls" / "ca.pem" and ca_cert.read_text().startswith("-----BEGIN CERTIFICATE")

    users = yaml.safe_load((config / "opensearch-security" / "internal_users.yml").read_text())
    assert set(users) == {"_meta", "admin"}  # the demo users and their published passwords are gone
    assert bcrypt.checkpw(b"s3cret-generated", users["admin"]["hash"].encode())
    assert "s3cret-generated" not in "".join(p.read_text() for p in config.rglob("*") if p.is_file())

    assert (config / "jvm.options.d" / "heap.options").read_text() == f"-Xms{HEAP}\n-Xmx{HEAP}\n"
    options = (config / "jvm.options").read_text()
    assert f"HeapDumpPath={run}/data" in options and f"file={run}/logs/gc.log" in options
    assert "=logs/" not in options and "=data\n" not in options

    for found in [config, *config.rglob("*")]:
        mode = stat.S_IMODE(found.stat().st_mode)
        assert mode == (0o700 if found.is_dir() else 0o600), f"{found}: {oct(mode)}"
