"""`diff --base --head`: exactly the violations a change introduces, deletions never counted as fixes.

The plan is the real staging plan (build/plan/staging.json from `make plan`) when it exists, else the one
offline plan of every rule's fixtures that the fixture harness builds (cached in build/fixture-plan).
Violations are introduced into a copy of it by flipping encryption flags in resource_changes and
planned_values alike.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.cli import main
from compliance.diff import compare
from compliance.formats.diff import to_markdown
from compliance.model import Finding, Origin, Resource, Severity, Source, Status
from compliance.rules import RULES
from compliance.scan import InputResult, ScanInput, scan
from tests.support.fixture_plan import build_plan, fixture_dirs

Plan = dict[str, Any]


@pytest.fixture(scope="module")
def base_plan(repo_root: Path, terraform_env: dict[str, str]) -> Path:
    staging = repo_root / "build" / "plan" / "staging.json"
    if staging.is_file():
        return staging
    rules_dir = repo_root / "compliance" / "rules"
    return build_plan(fixture_dirs(rules_dir), repo_root / "build" / "fixture-plan", terraform_env)


@pytest.fixture(scope="module")
def base(base_plan: Path, tmp_path_factory: pytest.TempPathFactory) -> InputResult:
    no_waivers = tmp_path_factory.mktemp("waivers") / "none.yaml"
    no_waivers.write_text("waivers: []\n")
    return scan(plans=[base_plan], rules=RULES, waivers=no_waivers).result_of(base_plan)


def _changes(plan: Plan) -> dict[str, dict[str, Any]]:
    return {rc["address"]: rc for rc in plan["resource_changes"]}


def _planned(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", ())
    for child in module.get("child_modules", ()):
        yield from _planned(child)


def set_after(plan: Plan, address: str, key: str, value: Any) -> None:
    """Give an attribute a known value in the planned change and in planned_values."""
    change = _changes(plan)[address]["change"]
    change["after"][key] = value
    if isinstance(change.get("after_unknown"), dict):
        change["after_unknown"].pop(key, None)
    for resource in _planned(plan["planned_values"]["root_module"]):
        if resource["address"] == address:
            resource["values"][key] = value


def delete(plan: Plan, address: str) -> None:
    """Turn a planned resource into one the plan deletes (it leaves planned_values)."""
    change = _changes(plan)[address]["change"]
    change.update(actions=["delete"], before=change["after"], after=None, after_unknown={})
    root = plan["planned_values"]["root_module"]
    for module in (root, *_modules(root)):
        module["resources"] = [r for r in module.get("resources", ()) if r["address"] != address]


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in module.get("child_modules", ()):
        yield child
        yield from _modules(child)


def _passing(side: InputResult, rule_id: str, key: str) -> str:
    """A resource the rule passes whose planned change sets `key`."""
    resources = {r.address: r for r in side.resources}
    for finding in side.findings:
        if finding.rule_id == rule_id and finding.status is Status.PASS:
            resource = resources[finding.resource]
            if key in resource.values and resource.action == "create":
                return finding.resource
    pytest.skip(f"the plan has no resource passing {rule_id} with {key}")


def _write(plan: Plan, path: Path) -> Path:
    path.write_text(json.dumps(plan))
    return path


def _diff(base: Path, head: Path, fmt: str, out: Path) -> tuple[int, str]:
    code = main(["diff", "--base", str(base), "--head", str(head), "--format", fmt, "--output", str(out)])
    return code, out.read_text()


@pytest.fixture(scope="module")
def worse(
    base_plan: Path, base: InputResult, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, set[tuple[str, str]]]:
    """A copy of the plan with EFS encryption and OpenSearch node-to-node encryption turned off."""
    plan = json.loads(base_plan.read_text())
    efs = _passing(base, "ENC001", "encrypted")
    domain = _passing(base, "ENC005", "node_to_node_encryption")
    set_after(plan, efs, "encrypted", False)
    set_after(plan, domain, "node_to_node_encryption", [{"enabled": False}])
    head = _write(plan, tmp_path_factory.mktemp("worse") / "head.json")
    return head, {("ENC001", efs), ("ENC005", domain)}


def test_diff_reports_exactly_the_introduced_violations(
    base_plan: Path, worse: tuple[Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    head, introduced = worse
    code, text = _diff(base_plan, head, "json", tmp_path / "diff.json")
    document = json.loads(text)
    assert code == 1
    assert {(v["rule_id"], v["resource"]) for v in document["violations"]} == introduced
    assert {v["kind"] for v in document["violations"]} == {"new"}
    assert all(v["status"] == "fail" and v["action"] == "create" for v in document["violations"])
    assert document["fixed"] == [] and document["deleted"] == []
    assert document["summary"]["new"] == 2


def test_identical_plans_pass(base_plan: Path, tmp_path: Path) -> None:
    code, text = _diff(base_plan, base_plan, "markdown", tmp_path / "diff.md")
    assert code == 0
    assert "this change passes" in text and "No new violations." in text


def test_reverting_lists_fixes_and_exits_0(
    base_plan: Path, worse: tuple[Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    head, introduced = worse
    code, text = _diff(head, base_plan, "json", tmp_path / "diff.json")
    document = json.loads(text)
    assert code == 0
    assert {(f["rule_id"], f["resource"]) for f in document["fixed"]} == introduced
    assert document["violations"] == []


def test_deleting_a_violating_resource_is_a_deletion_not_a_fix(
    base_plan: Path, base: InputResult, tmp_path: Path
) -> None:
    managed = {r.address for r in base.resources if r.mode == "managed"}
    victim = next((f for f in base.findings if f.failing and f.resource in managed), None)
    if victim is None:
        pytest.skip("the plan has no violation to delete")
    plan = json.loads(base_plan.read_text())
    delete(plan, victim.resource)
    code, text = _diff(base_plan, _write(plan, tmp_path / "head.json"), "json", tmp_path / "diff.json")
    document = json.loads(text)
    assert code == 0
    assert document["fixed"] == []
    deleted = {d["address"]: d for d in document["deleted"]}
    assert set(deleted) == {victim.resource}
    assert deleted[victim.resource]["action"] == "delete"
    assert victim.rule_id in {v["rule_id"] for v in deleted[victim.resource]["violations"]}


def test_markdown_is_a_pull_request_comment(
    base_plan: Path, worse: tuple[Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    head, introduced = worse
    code, text = _diff(base_plan, head, "markdown", tmp_path / "diff.md")
    assert code == 1
    assert text.startswith("<!-- compliance-diff -->\n## Compliance diff: this change fails")
    assert "**2 new**" in text
    assert "| | Severity | Status | Rule | Resource | Action | Location | Message |" in text
    assert "2 new or changed violations on 2 resources" in text and "<details><summary>How to fix" in text
    for rule_id, address in introduced:
        row = next(line for line in text.splitlines() if f"`{address}`" in line and f"| {rule_id} |" in line)
        rule = next(r for r in RULES if r.id == rule_id)
        assert f"| {rule.severity.value} | fail | {rule_id} |" in row
        fix = next(line for line in text.splitlines() if line.startswith(f"- **{rule_id}**"))
        assert rule.remediation.replace("|", "\\|") in fix


def test_locations_link_to_the_head_commit_in_github_actions() -> None:
    from compliance.formats.diff import _linker

    finding = dataclasses.replace(_finding("aws_x.a", Status.FAIL), source=Source("envs/main.tf", 3))
    environ = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc"}
    assert _linker(environ)(finding) == "[`envs/main.tf:3`](https://github.com/o/r/blob/abc/envs/main.tf#L3)"
    assert _linker({})(finding) == "`envs/main.tf:3`"
    absolute = dataclasses.replace(finding, source=Source("/abs/main.tf", 3))
    assert _linker(environ)(absolute) == "`/abs/main.tf:3`"


def test_the_source_is_inferred_from_the_plan_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from compliance.diff import infer_source

    plan = tmp_path / "plan.json"
    assert infer_source(plan) == []
    assert "cannot infer the Terraform root" in capsys.readouterr().err
    (tmp_path / "main.tf").write_text("")
    assert infer_source(plan) == [tmp_path.resolve()]
    assert "--source inferred" in capsys.readouterr().err


def test_sarif_holds_only_the_new_violations(
    base_plan: Path, worse: tuple[Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    head, introduced = worse
    code, text = _diff(base_plan, head, "sarif", tmp_path / "diff.sarif")
    document = json.loads(text)
    assert code == 1
    assert document["version"] == "2.1.0"
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {rule_id for rule_id, _ in introduced}


# --- compare() on hand-made findings: the matching rules ---------------------------------------------


def _resource(address: str, action: str) -> Resource:
    return Resource(
        address=address,
        mode="managed",
        type="aws_efs_file_system",
        name=address.rsplit(".", 1)[-1],
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values={},
        source=Source("main.tf", 1),
        origin=Origin.PLAN,
        action=action,
    )


def _finding(address: str, status: Status, message: str = "encrypted is false", action: str = "") -> Finding:
    return Finding(
        rule_id="ENC001",
        title="EFS file system encrypts data at rest",
        status=status,
        severity=Severity.HIGH,
        resource=address,
        source=Source("main.tf", 1),
        controls={},
        message=message,
        remediation="Set encrypted = true.",
        origin=Origin.PLAN,
        action=action,
    )


def _side(resources: list[Resource], findings: list[Finding]) -> InputResult:
    return InputResult(ScanInput("plan.json", "plan", ""), tuple(resources), tuple(findings))


def test_a_rename_is_a_deletion_and_a_new_violation_never_a_fix() -> None:
    base = _side(
        [_resource("aws_efs_file_system.old", "no-op")], [_finding("aws_efs_file_system.old", Status.FAIL)]
    )
    head = _side(
        [_resource("aws_efs_file_system.old", "delete"), _resource("aws_efs_file_system.new", "create")],
        [_finding("aws_efs_file_system.new", Status.FAIL, action="create")],
    )
    diff = compare(base, head)
    assert [(c.kind, c.finding.resource) for c in diff.changes] == [("new", "aws_efs_file_system.new")]
    assert diff.fixed == ()
    assert [(d.address, d.action, len(d.violations)) for d in diff.deleted] == [
        ("aws_efs_file_system.old", "delete", 1)
    ]


def test_changed_counts_only_on_touched_resources_and_unchanged_is_counted_not_listed() -> None:
    addresses = ("aws_efs_file_system.a", "aws_efs_file_system.b", "aws_efs_file_system.c")
    base = _side(
        [_resource(a, "no-op") for a in addresses],
        [_finding(a, Status.UNKNOWN, "encrypted is not known before apply") for a in addresses],
    )
    head = _side(
        [
            _resource(addresses[0], "update"),
            _resource(addresses[1], "no-op"),
            _resource(addresses[2], "update"),
        ],
        [
            _finding(addresses[0], Status.FAIL, action="update"),  # touched, now fails: changed
            _finding(addresses[1], Status.FAIL),  # untouched: the change did not do this
            _finding(addresses[2], Status.UNKNOWN, "encrypted is not known before apply", "update"),
        ],
    )
    diff = compare(base, head)
    assert [(c.kind, c.finding.resource) for c in diff.changes] == [("changed", addresses[0])]
    assert diff.changes[0].before is not None and diff.changes[0].before.status is Status.UNKNOWN
    assert diff.unchanged == 2
    assert diff.failing and "1 changed" in to_markdown(diff)


def test_a_resource_missing_from_head_is_absent_not_fixed() -> None:
    base = _side(
        [_resource("aws_efs_file_system.gone", "create")], [_finding("aws_efs_file_system.gone", Status.FAIL)]
    )
    head = _side([], [])
    diff = compare(base, head)
    assert diff.fixed == () and not diff.failing
    assert [(d.address, d.action) for d in diff.deleted] == [("aws_efs_file_system.gone", "absent")]


def test_waived_in_head_is_neither_new_nor_fixed() -> None:
    base = _side(
        [_resource("aws_efs_file_system.a", "no-op")], [_finding("aws_efs_file_system.a", Status.FAIL)]
    )
    head = _side(
        [_resource("aws_efs_file_system.a", "no-op")], [_finding("aws_efs_file_system.a", Status.WAIVED)]
    )
    diff = compare(base, head)
    assert diff.fixed == () and not diff.failing
