"""The workflows (pr.yml: checks on every push and PR; deploy.yml: staging on main, prod on v* tags): actionlint
(built from the Go module proxy by `make setup`) and the properties we promise: least-privilege permissions per
job, actions pinned by full commit SHA, make targets for the checks, no secrets, deploy by digest."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PR = WORKFLOWS / "pr.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
ACTIONLINT = Path(os.environ.get("ACTIONLINT", ROOT / "build" / "bin" / "actionlint"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)", re.MULTILINE)


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.is_file():
        pytest.fail(f"{ACTIONLINT} is missing: run `make setup` (go install of actionlint)")
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict)
    return document


def _triggers(document: dict[Any, Any]) -> dict[str, Any]:
    on = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as True
    assert isinstance(on, dict)
    return on


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return _load(PR)


@pytest.fixture(scope="module")
def deploy() -> dict[Any, Any]:
    return _load(DEPLOY)


def test_actionlint_passes_on_both_workflows() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["deploy.yml", "pr.yml"]
    done = _actionlint(PR, DEPLOY)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_knows_vars_and_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ vars.FINE }} ${{ github.no_such_property }}\n"
    )
    done = _actionlint(broken)
    assert done.returncode == 1
    findings = re.findall(r"broken\.yml:\d+:\d+: (.*)", done.stdout)
    assert len(findings) == 1 and "no_such_property" in findings[0], done.stdout


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_every_uses_is_pinned_by_a_full_commit_sha(path: Path) -> None:
    uses = USES.findall(path.read_text())
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_every_job_has_its_own_permissions_and_the_default_is_none(path: Path) -> None:
    document = _load(path)
    assert document["permissions"] == {}
    for name, job in document["jobs"].items():
        assert "permissions" in job, name
        assert "write-all" not in str(job["permissions"]), name


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_no_secret_is_used_or_echoed(path: Path) -> None:
    text = path.read_text()
    assert "secrets." not in text
    assert not re.search(r"(echo|printf)[^\n]*(TOKEN|PASSWORD|SECRET|AWS_SECRET)", text)


def test_checks_run_on_every_push_and_pull_request(workflow: dict[Any, Any]) -> None:
    on = _triggers(workflow)
    assert "push" in on and on["push"] is None, "pr.yml checks every push, on any branch"
    assert on["pull_request"] == {"branches": ["main"]}
    assert workflow["jobs"]["checks"].get("if") is None


def test_only_the_plan_job_gets_an_oidc_token_and_it_has_no_write_scope(workflow: dict[Any, Any]) -> None:
    jobs = workflow["jobs"]
    with_token = [name for name, job in jobs.items() if job["permissions"].get("id-token") == "write"]
    assert with_token == ["plan"]
    writes = {scope for scope, level in jobs["plan"]["permissions"].items() if level == "write"}
    assert writes == {"id-token"}


def test_pull_requests_plan_staging_only_without_reading_secret_values(workflow: dict[Any, Any]) -> None:
    plan = workflow["jobs"]["plan"]
    assert "github.event_name == 'pull_request'" in plan["if"]
    assert [entry["env"] for entry in plan["strategy"]["matrix"]["include"]] == ["staging"]
    assert "-refresh=false" in PR.read_text()
    assert "AWS_PLAN_ROLE_ARN_PROD" not in PR.read_text(), "prod's plan role never trusts pull requests"


def test_expected_actions_are_used(workflow: dict[Any, Any]) -> None:
    text = PR.read_text()
    for action in (
        "aws-actions/configure-aws-credentials@",
        "github/codeql-action/upload-sarif@",
        "actions/github-script@",
        "actions/upload-artifact@",
    ):
        assert action in text


def test_checks_are_make_targets(workflow: dict[Any, Any]) -> None:
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert "make test" in runs
    assert any("make evidence" in run for run in runs)
    assert any("compliance diff" in run for run in runs)


def test_role_comes_from_a_repository_variable(workflow: dict[Any, Any]) -> None:
    steps = workflow["jobs"]["plan"]["steps"]
    oidc = next(s for s in steps if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
    assert oidc["with"]["role-to-assume"] == "${{ vars[matrix.role] }}"


# --- deploy.yml ------------------------------------------------------------------------------------------


def _steps(deploy: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = deploy["jobs"][job]["steps"]
    return steps


def _step(deploy: dict[Any, Any], job: str, action: str) -> dict[str, Any]:
    return next(s for s in _steps(deploy, job) if s.get("uses", "").startswith(action + "@"))


def test_main_deploys_staging_and_semver_tags_deploy_prod(deploy: dict[Any, Any]) -> None:
    on = _triggers(deploy)
    assert on == {"push": {"branches": ["main"], "tags": ["v*"]}}
    target = _steps(deploy, "target")[0]["run"]
    assert "^v[0-9]+\\.[0-9]+\\.[0-9]+$" in target and "env=prod" in target and "env=staging" in target


def test_release_waits_for_gate_and_tests_in_its_environment(deploy: dict[Any, Any]) -> None:
    release = deploy["jobs"]["release"]
    assert set(release["needs"]) == {"target", "gate", "test"}
    assert release["environment"] == "${{ needs.target.outputs.env }}"
    assert release["concurrency"] == {
        "group": "deploy-${{ needs.target.outputs.env }}",
        "cancel-in-progress": False,
    }
    assert [s["run"] for s in _steps(deploy, "gate") if "run" in s][-1] == "make gate"
    assert [s["run"] for s in _steps(deploy, "test") if "run" in s][-1] == "make test"


def test_only_the_release_job_gets_an_oidc_token(deploy: dict[Any, Any]) -> None:
    jobs = deploy["jobs"]
    assert [n for n, j in jobs.items() if j["permissions"].get("id-token") == "write"] == ["release"]
    assert jobs["release"]["permissions"] == {"contents": "read", "id-token": "write"}
    oidc = _step(deploy, "release", "aws-actions/configure-aws-credentials")
    assert oidc["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"


def test_scan_before_push_then_multi_arch_push_sign_attest_and_deploy_by_digest(
    deploy: dict[Any, Any],
) -> None:
    steps = _steps(deploy, "release")
    names = [s.get("uses", s.get("name", "")).split("@")[0] for s in steps]
    order = [
        names.index("anchore/scan-action"),
        names.index("aws-actions/amazon-ecr-login"),
        next(i for i, s in enumerate(steps) if s.get("with", {}).get("push") is True),
        names.index("sigstore/cosign-installer"),
        next(i for i, s in enumerate(steps) if "tools.deploy" in s.get("run", "")),
    ]
    assert order == sorted(order), "scan, log in, push, sign, deploy: in that order"
    scan = _step(deploy, "release", "anchore/scan-action")["with"]
    assert scan["fail-build"] is True and scan["severity-cutoff"] == "high" and scan["only-fixed"] is True
    push = next(s for s in steps if s.get("with", {}).get("push") is True)["with"]
    assert push["platforms"] == "linux/amd64,linux/arm64" and "type=gha" in push["cache-from"]
    tags = next(s for s in steps if s.get("id") == "tags")["run"]
    assert '"$REPOSITORY:sha-$GITHUB_SHA"' in tags and "$REPOSITORY:$VERSION" in tags
    sign = next(s for s in steps if "cosign sign" in s.get("run", ""))["run"]
    assert '"$REPOSITORY@$DIGEST"' in sign and "cosign attest --yes --type spdxjson" in sign
    run = next(s for s in steps if "tools.deploy" in s.get("run", ""))["run"]
    assert '--image "$REPOSITORY@$DIGEST"' in run and "--alarm" in run
