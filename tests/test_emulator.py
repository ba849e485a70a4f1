"""The embedded emulator: the moto launcher, the provider override, and a staging plan free of secrets."""

from __future__ import annotations

import json
import re
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.moto import MotoServer
from emulator.override import SERVICES, VARIABLES_FILE, render_override, write_override

ROOT = Path(__file__).resolve().parent.parent


def port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def test_moto_server_starts_answers_and_stops(tmp_path: Path) -> None:
    with MotoServer(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=5) as response:
            assert response.status == 200
    assert not port_open(url)
    assert (tmp_path / "moto.log").exists()


def test_moto_server_stops_when_the_body_fails(tmp_path: Path) -> None:
    server = MotoServer(tmp_path)
    with pytest.raises(RuntimeError, match="boom"), server as url:
        raise RuntimeError("boom")
    assert not port_open(url)


def test_override_points_every_service_at_the_emulator() -> None:
    text = render_override("http://127.0.0.1:5000")
    assert text.count('provider "aws" {') == 2 and 'alias = "replica"' in text
    for service in SERVICES:
        assert re.search(rf'^\s+{service}\s+= "http://127.0.0.1:5000"$', text, re.MULTILINE), service
    assert 'backend "local" {}' in text
    assert "skip_requesting_account_id  = true" in text and "s3_use_path_style           = true" in text
    assert "access_key" not in text  # credentials come from the environment, never a provider block


def test_override_refuses_a_remote_endpoint() -> None:
    with pytest.raises(ValueError, match="non-local"):
        render_override("https://ec2.ca-central-1.amazonaws.com")


def test_write_override_into_a_root(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("")
    path = write_override(
        tmp_path, "http://127.0.0.1:5000", variables={"certificate_wait_for_validation": False}
    )
    assert path.name == "emulator_override.tf"
    assert json.loads((tmp_path / VARIABLES_FILE).read_text()) == {"certificate_wait_for_validation": False}
    with pytest.raises(FileNotFoundError):
        write_override(tmp_path / "missing", "http://127.0.0.1:5000")


# --- one real plan of staging against moto ------------------------------------------------------------------
SECRET_KEYS = re.compile(r"(password|passwd|secret_string|api_?key|private_key|token)$", re.IGNORECASE)
NOT_SECRET_KEYS = {"creation_token"}  # EFS idempotency token: the file system's name


def strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def looks_generated(value: str) -> bool:
    """A 32-character alphanumeric mix like GetRandomPassword's (ids and hashes are hex or prefixed)."""
    return (
        bool(re.fullmatch(r"[A-Za-z0-9]{32}", value))
        and bool(re.search(r"[a-z]", value))
        and bool(re.search(r"[A-Z]", value))
        and bool(re.search(r"[0-9]", value))
    )


@pytest.fixture(scope="module")
def staging_plan() -> dict[str, Any]:
    from tools import plan

    assert plan.main(["staging"]) == 0, "make plan failed for staging (see the output above)"
    return dict(json.loads((ROOT / "build" / "plan" / "staging.json").read_text()))


def leaks(plan: dict[str, Any]) -> list[str]:
    """Paths of secret-looking values: under a secret-named key, or shaped like a generated password."""
    return [
        path
        for path, value in strings(plan)
        if value
        and (
            (SECRET_KEYS.search(path.rsplit(".", 1)[-1]) and path.rsplit(".", 1)[-1] not in NOT_SECRET_KEYS)
            or looks_generated(value)
        )
    ]


def test_leak_detector_finds_a_generated_password() -> None:
    plan = {
        "resource_changes": [
            {"change": {"after": {"secret_string": "x", "tags": {"a": "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"}}}}
        ]
    }
    assert len(leaks(plan)) == 2


@pytest.mark.terraform
@pytest.mark.slow
def test_staging_plan_holds_no_secret_value(staging_plan: dict[str, Any]) -> None:
    assert not leaks(staging_plan), f"secret-looking values in the plan JSON at: {leaks(staging_plan)[:10]}"


@pytest.mark.terraform
@pytest.mark.slow
def test_every_written_plan_holds_no_secret_value(staging_plan: dict[str, Any]) -> None:
    """build/plan/*.json as `make plan` left them (prod included when it was planned)."""
    for path in sorted((ROOT / "build" / "plan").glob("*.json")):
        found = leaks(json.loads(path.read_text()))
        assert not found, f"secret-looking values in {path.name} at: {found[:10]}"


@pytest.mark.terraform
@pytest.mark.slow
def test_staging_plan_writes_the_neo4j_password_write_only(staging_plan: dict[str, Any]) -> None:
    versions = [
        change["change"]
        for change in staging_plan["resource_changes"]
        if change["type"] == "aws_secretsmanager_secret_version"
    ]
    assert versions, "the Neo4j admin secret version is planned"
    for change in versions:
        assert change["after"]["secret_string"] is None
        assert change["after"]["secret_string_wo"] is None
        assert change["after"]["secret_string_wo_version"] >= 1
