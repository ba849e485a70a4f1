"""Static checks of terraform/ that `make terraform-check` (fmt, validate, terraform test) does not make.

No terraform CLI here: these read the files. Validation and the module tests run once, in
tools.terraform_check.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import hcl2
import pytest

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM = ROOT / "terraform"
ENVS = TERRAFORM / "envs"
MODULES = sorted(p for p in (TERRAFORM / "modules").iterdir() if (p / "main.tf").exists())
SHARED_ENV_FILES = ("main.tf", "variables.tf", "outputs.tf")
ENV_FILES = {*SHARED_ENV_FILES, "terraform.tfvars", "backend.hcl", ".terraform.lock.hcl"}


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def load(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return dict(hcl2.load(handle))


def variables(path: Path) -> dict[str, dict[str, Any]]:
    blocks = load(path).get("variable", [])
    return {unquote(name): body for block in blocks for name, body in block.items()}


@pytest.mark.parametrize("name", SHARED_ENV_FILES)
def test_staging_and_prod_share_their_code(name: str) -> None:
    assert (ENVS / "staging" / name).read_bytes() == (ENVS / "prod" / name).read_bytes(), (
        f"envs/staging/{name} and envs/prod/{name} differ: envs may differ only in tfvars and backend.hcl"
    )


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_env_roots_are_thin(env: str) -> None:
    files = {p.name for p in (ENVS / env).iterdir() if p.is_file()}
    assert files <= ENV_FILES, f"unexpected files in envs/{env}: {sorted(files - ENV_FILES)}"
    assert {"terraform.tfvars", "backend.hcl", *SHARED_ENV_FILES} <= files


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_backend_isolates_state_per_env(env: str) -> None:
    backend = {key: unquote(str(value)) for key, value in load(ENVS / env / "backend.hcl").items()}
    assert backend["key"] == f"{env}/terraform.tfstate"
    assert backend["region"] in ("ca-central-1", "ca-west-1")
    assert str(backend["encrypt"]).lower() == "true"
    assert str(backend["use_lockfile"]).lower() == "true"


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_tfvars_name_their_env_and_hold_no_secret(env: str) -> None:
    tfvars = load(ENVS / env / "terraform.tfvars")
    assert unquote(tfvars["environment"]) == env
    assert unquote(tfvars["region"]) in ("ca-central-1", "ca-west-1")
    text = (ENVS / env / "terraform.tfvars").read_text()
    assert not re.search(r"(?im)^\s*\w*(password|secret_key|api_key|token)\w*\s*=", text)


def test_envs_use_a_partial_s3_backend_and_a_canadian_replica() -> None:
    main = (ENVS / "staging" / "main.tf").read_text()
    assert re.search(r'backend\s+"s3"\s*\{\s*\}', main)
    assert re.search(r'alias\s*=\s*"replica"\s*\n\s*region\s*=\s*"ca-west-1"', main)
    assert not re.search(r"^\s*(access_key|secret_key|token)\s*=", main, re.MULTILINE)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_module_layout(module: Path) -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
        assert (module / name).is_file(), f"{module.name}/{name} is missing"
    tests = list((module / "tests").glob("*.tftest.hcl"))
    assert tests, f"{module.name} has no tests/*.tftest.hcl"
    text = "\n".join(t.read_text() for t in tests)
    assert 'mock_provider "aws"' in text
    assert re.search(r'run\s+"reject_\w+"', text), f'{module.name} has no run "reject_..." test'
    assert "expect_failures" in text


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_module_versions(module: Path) -> None:
    text = (module / "versions.tf").read_text()
    assert 'required_version = ">= 1.11"' in text
    assert 'version = "~> 5.100"' in text


@pytest.mark.parametrize("root", [*MODULES, ENVS / "staging"], ids=lambda p: p.name)
def test_every_variable_is_typed_and_described(root: Path) -> None:
    for name, body in variables(root / "variables.tf").items():
        assert "type" in body, f"{root.name}: variable {name} has no type"
        assert unquote(str(body.get("description", ""))).strip(), (
            f"{root.name}: variable {name} has no description"
        )
        assert "any" not in re.findall(r"\b\w+\b", str(body["type"])), (
            f"{root.name}: variable {name} uses any"
        )


@pytest.mark.parametrize("root", [*MODULES, ENVS / "staging"], ids=lambda p: p.name)
def test_outputs_are_described(root: Path) -> None:
    for block in load(root / "outputs.tf").get("output", []):
        for name, body in block.items():
            assert unquote(str(body.get("description", ""))).strip(), (
                f"{root.name}: output {name} has no description"
            )


def test_rotation_package_matches_its_source() -> None:
    src = TERRAFORM / "modules" / "secret_rotation" / "src"
    with zipfile.ZipFile(src / "handler.zip") as archive:
        assert archive.namelist() == ["handler.py"]
        packaged = archive.read("handler.py")
    assert packaged == (src / "handler.py").read_bytes(), (
        "handler.zip is stale: run `python -m tools.terraform_check --rebuild-lambda`"
    )


def test_neo4j_password_is_generated_ephemeral_and_write_only() -> None:
    main = (ENVS / "staging" / "main.tf").read_text()
    assert 'ephemeral "aws_secretsmanager_random_password"' in main
    module = (TERRAFORM / "modules" / "neo4j" / "main.tf").read_text()
    assert "secret_string_wo " in module and "secret_string_wo_version" in module
    assert not re.search(r"\bsecret_string\s*=", module)
    admin = variables(TERRAFORM / "modules" / "neo4j" / "variables.tf")["admin_password"]
    assert admin.get("ephemeral") is True and admin.get("sensitive") is True and "default" not in admin
