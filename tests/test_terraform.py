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
STACK = TERRAFORM / "modules" / "stack"
# Identical in every env: the knobs an operator or an emulator run may set, the outputs, the moves.
SHARED_ENV_FILES = ("variables.tf", "outputs.tf", "moved.tf")
ENV_FILES = {"main.tf", *SHARED_ENV_FILES, "backend.hcl", ".terraform.lock.hcl"}
# What staging and prod may set differently in their one call of the stack (everything else is equal).
ENV_SPECIFIC = {
    "account_id",
    "network",
    "domain_name",
    "api",
    "opensearch",
    "neo4j",
    "log_retention_days",
    "secret_recovery_window_days",
    "backup_retention_days",
}


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def load(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return dict(hcl2.load(handle))


def variables(path: Path) -> dict[str, dict[str, Any]]:
    blocks = load(path).get("variable", [])
    return {unquote(name): body for block in blocks for name, body in block.items()}


def without_comments(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_comments(v) for k, v in value.items() if k != "__comments__"}
    if isinstance(value, list):
        return [without_comments(v) for v in value]
    return value


def stack_call(env: str) -> dict[str, Any]:
    calls = load(ENVS / env / "main.tf").get("module", [])
    assert len(calls) == 1 and list(calls[0]) == ['"stack"'], f"envs/{env} calls only the stack module"
    call: dict[str, Any] = without_comments(calls[0]['"stack"'])
    return call


@pytest.mark.parametrize("name", SHARED_ENV_FILES)
def test_staging_and_prod_share_their_knobs_outputs_and_moves(name: str) -> None:
    assert (ENVS / "staging" / name).read_bytes() == (ENVS / "prod" / name).read_bytes(), (
        f"envs/staging/{name} and envs/prod/{name} differ: envs differ only in main.tf's values and backend.hcl"
    )


def test_envs_differ_only_in_what_they_should() -> None:
    staging, prod = (load(ENVS / env / "main.tf") for env in ("staging", "prod"))
    # The same blocks: terraform, providers, the ephemeral password and the one module call.
    assert sorted(staging) == sorted(prod)
    for block in ("terraform", "provider", "ephemeral"):
        assert without_comments(staging[block]) == without_comments(prod[block]), f"envs differ in {block}"
    assert unquote(staging["locals"][0]["environment"]) == "staging"
    assert unquote(prod["locals"][0]["environment"]) == "prod"
    assert without_comments(staging["locals"][0]["tags"]) == without_comments(prod["locals"][0]["tags"])
    stage_call, prod_call = stack_call("staging"), stack_call("prod")
    assert set(stage_call) == set(prod_call), "both envs set the same stack inputs"
    differing = {key for key in stage_call if stage_call[key] != prod_call[key]}
    assert differing <= ENV_SPECIFIC, f"envs differ in shared inputs: {sorted(differing - ENV_SPECIFIC)}"
    assert {"account_id", "network", "domain_name"} <= differing, (
        "each env has its own account, VPC and domain"
    )


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_env_roots_are_thin(env: str) -> None:
    files = {p.name for p in (ENVS / env).iterdir() if p.is_file()}
    assert files <= ENV_FILES, f"unexpected files in envs/{env}: {sorted(files - ENV_FILES)}"
    assert {"main.tf", "backend.hcl", *SHARED_ENV_FILES} <= files
    main = load(ENVS / env / "main.tf")
    assert "resource" not in main and "data" not in main, (
        f"envs/{env} declares resources: they go in a module"
    )
    assert len((ENVS / env / "main.tf").read_text().splitlines()) <= 90
    assert unquote(stack_call(env)["source"]) == "../../modules/stack"


def test_moved_blocks_cover_every_module_of_the_stack() -> None:
    """States applied before the stack module existed move without a destroy."""
    modules = {unquote(name) for block in load(STACK / "main.tf")["module"] for name in block}
    moved = {(m["from"], m["to"]) for m in load(ENVS / "staging" / "moved.tf")["moved"]}
    assert moved == {(f"${{module.{m}}}", f"${{module.stack.module.{m}}}") for m in modules}


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_backend_isolates_state_per_env(env: str) -> None:
    backend = {key: unquote(str(value)) for key, value in load(ENVS / env / "backend.hcl").items()}
    assert backend["key"] == f"{env}/terraform.tfstate"
    assert backend["region"] in ("ca-central-1", "ca-west-1")
    assert str(backend["encrypt"]).lower() == "true"
    assert str(backend["use_lockfile"]).lower() == "true"


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_env_main_names_its_env_and_holds_no_secret(env: str) -> None:
    assert unquote(load(ENVS / env / "main.tf")["locals"][0]["environment"]) == env
    region = variables(ENVS / env / "variables.tf")["region"]
    assert unquote(region["default"]) in ("ca-central-1", "ca-west-1")
    text = (ENVS / env / "main.tf").read_text()
    assert not re.search(r"(?im)^\s*\w*(password|secret_key|api_key|token)\w*\s*=\s*\"", text)


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_envs_use_a_partial_s3_backend_and_a_canadian_replica(env: str) -> None:
    main = (ENVS / env / "main.tf").read_text()
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
    assert re.search(r'\bversion\s+= "~> 5\.100"', text)


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
    passed = variables(STACK / "variables.tf")["neo4j_admin_password"]
    assert passed.get("ephemeral") is True and passed.get("sensitive") is True and "default" not in passed
    module = (TERRAFORM / "modules" / "neo4j" / "main.tf").read_text()
    assert "secret_string_wo " in module and "secret_string_wo_version" in module
    assert not re.search(r"\bsecret_string\s*=", module)
    admin = variables(TERRAFORM / "modules" / "neo4j" / "variables.tf")["admin_password"]
    assert admin.get("ephemeral") is True and admin.get("sensitive") is True and "default" not in admin
