"""`python -m compliance scan`: every exit code, reports on stdout or in a file, several inputs at once.

Most tests run `main()` in-process with the rules narrowed to ENC001, so they do not move when other
rules are added; one runs the real module entry point in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from compliance import cli, scan
from compliance.model import Origin, Resource, Source
from compliance.rules.ENC001_efs_encrypted.rule import RULE as ENC001

KMS = 'resource "aws_kms_key" "k" {\n  description = "k"\n}\n'
PASS_EFS = (
    'resource "aws_efs_file_system" "good" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.k.arn\n}\n'
)
FAIL_EFS = 'resource "aws_efs_file_system" "bad" {\n  encrypted = false\n}\n'


@pytest.fixture(autouse=True)
def only_enc001(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("compliance.rules.RULES", (ENC001,))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def tf_dir(tmp_path: Path, *blocks: str, name: str = "env") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "main.tf").write_text("".join(blocks))
    return folder


def efs_change(name: str, encrypted: bool, actions: list[str]) -> dict[str, Any]:
    values = {"encrypted": encrypted, "kms_key_id": None}
    before, after = (values, None) if actions == ["delete"] else (None, values)
    return {
        "address": f"aws_efs_file_system.{name}",
        "mode": "managed",
        "type": "aws_efs_file_system",
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}},
    }


def plan_file(tmp_path: Path, *changes: dict[str, Any], name: str = "plan.json") -> Path:
    document = {
        "format_version": "1.2",
        "planned_values": {"root_module": {}},
        "resource_changes": list(changes),
    }
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def invoke(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_0_when_everything_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "scan", str(tf_dir(tmp_path, KMS, PASS_EFS)))
    assert (code, err) == (0, "")
    assert out.strip().endswith("1 findings: 1 pass, 0 fail, 0 unknown, 0 waived (1 inputs, 1 rules)")


def test_exit_1_on_violations_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tf_dir(tmp_path, KMS, PASS_EFS, FAIL_EFS)
    code, out, _ = invoke(capsys, "scan", str(folder))
    assert code == 1
    assert out.startswith(f"FAIL     HIGH     ENC001  aws_efs_file_system.bad  ({folder / 'main.tf'}:8)")


def test_a_waiver_turns_exit_1_into_0_and_stays_visible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - rule: ENC001\n    resource: aws_efs_file_system.b*\n"
        "    justification: scratch volume\n    expires: 2999-01-01\n"
    )
    folder = tf_dir(tmp_path, KMS, FAIL_EFS)
    code, out, _ = invoke(capsys, "scan", str(folder), "--waivers", str(waivers), "--format", "json")
    assert code == 0
    (finding,) = json.loads(out)["findings"]
    assert finding["status"] == "waived" and finding["waiver"]["justification"] == "scratch volume"


def test_json_report_to_a_file_over_several_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = plan_file(tmp_path, efs_change("a", True, ["create"]), name="one.json")
    second = plan_file(tmp_path, efs_change("b", False, ["update"]), name="two.json")
    folder = tf_dir(tmp_path, KMS, PASS_EFS)
    output = tmp_path / "report.json"
    argv = ["scan", str(folder), "--plan", str(first), "--plan", str(second), "--format", "json"]
    code, out, err = invoke(capsys, *argv, "--output", str(output))
    assert (code, out, err) == (1, "", "")
    document = json.loads(output.read_text())
    assert document["metadata"]["generated_at"] == "2026-01-01T00:00:00Z"
    assert [(i["path"], i["kind"]) for i in document["metadata"]["inputs"]] == [
        (str(folder), "hcl"),
        (str(first), "plan"),
        (str(second), "plan"),
    ]
    assert document["metadata"]["inputs"][1]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert [(f["resource"], f["status"], f["origin"]) for f in document["findings"]] == [
        ("aws_efs_file_system.a", "fail", "plan"),  # encrypted but no customer-managed key
        ("aws_efs_file_system.b", "fail", "plan"),
        ("aws_efs_file_system.good", "pass", "hcl"),
    ]
    invoke(capsys, *argv, "--output", str(tmp_path / "again.json"))
    assert (tmp_path / "again.json").read_bytes() == output.read_bytes()


def test_resources_being_deleted_are_not_judged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = plan_file(tmp_path, efs_change("old", False, ["delete"]), efs_change("new", False, ["create"]))
    code, out, _ = invoke(capsys, "scan", "--plan", str(plan), "--format", "json")
    assert code == 1
    assert [f["resource"] for f in json.loads(out)["findings"]] == ["aws_efs_file_system.new"]


def test_every_format_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = plan_file(tmp_path, efs_change("a", False, ["create"]))
    for name in ("text", "json", "sarif", "junit", "markdown"):
        code, out, _ = invoke(capsys, "scan", "--plan", str(plan), "--format", name)
        assert code == 1 and "aws_efs_file_system.a" in out, name


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    good = tf_dir(tmp_path, KMS, PASS_EFS, name="good")
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"format_version": "1.2", "resource_')
    expired = tmp_path / "expired.yaml"
    expired.write_text("waivers:\n  - {rule: ENC001, resource: '*', justification: x, expires: 2000-01-01}\n")
    unknown_rule = tmp_path / "unknown.yaml"
    unknown_rule.write_text(
        "waivers:\n  - {rule: XYZ001, resource: '*', justification: x, expires: 2999-01-01}\n"
    )
    empty = tf_dir(tmp_path, 'variable "x" {\n  default = 1\n}\n', name="empty")
    return [
        ([], "a command is required"),
        (["scan"], "nothing to scan"),
        (["scan", str(good), "--bogus"], "unrecognized arguments: --bogus"),
        (["scan", str(good), "--format", "pdf"], "invalid choice: 'pdf'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["scan", str(tmp_path / "missing")], f"{tmp_path / 'missing'}: Terraform path not found"),
        (["scan", "--plan", str(tmp_path / "missing.json")], f"{tmp_path / 'missing.json'}: plan not found"),
        (["scan", "--plan", str(truncated)], f"{truncated}: not a plan: invalid JSON"),
        (["scan", str(truncated)], f"{truncated}: not Terraform source; a plan JSON goes after --plan"),
        (
            ["scan", str(good), "--waivers", str(expired)],
            f"{expired}: waiver 1 (ENC001 *): expired on 2000-01-01",
        ),
        (
            ["scan", str(good), "--waivers", str(unknown_rule)],
            f"{unknown_rule}: waiver 1 (XYZ001 *): unknown rule",
        ),
        (["scan", str(good), "--var-file", str(tmp_path / "no.tfvars")], "no.tfvars: var file not found"),
        (["scan", str(empty)], f"{empty}: no resources found to scan"),
        (["scan", str(good), "--output", str(tmp_path / "no" / "dir" / "r.txt")], "cannot write the report"),
    ]


def test_exit_2_is_one_line_naming_the_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, message in _bad_inputs(tmp_path):
        code, out, err = invoke(capsys, *argv)
        assert code == 2, (argv, err)
        assert out == "", argv
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], (argv, err)


def test_exit_3_for_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> tuple[()]:
        raise RuntimeError("engine\nexploded")

    monkeypatch.setattr(scan, "run", broken)
    code, out, err = invoke(capsys, "scan", str(tf_dir(tmp_path, KMS, PASS_EFS)))
    assert (code, out, err) == (3, "", "error: internal: RuntimeError: engine exploded\n")


def test_another_module_can_register_a_subcommand(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("fake_diff_command")
    module.add_arguments = lambda parser: parser.add_argument("--base")  # type: ignore[attr-defined]
    module.run = lambda args: print(f"diff from {args.base}") or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_diff_command", module)
    monkeypatch.setattr(
        cli, "COMMANDS", (*cli.COMMANDS, ("fake", "a command added by another module", "fake_diff_command"))
    )
    assert invoke(capsys, "fake", "--base", "main") == (0, "diff from main\n", "")


def test_plan_findings_borrow_file_and_line_from_the_same_root() -> None:
    def resource(address: str, source: Source, origin: Origin) -> Resource:
        return Resource(address, "managed", "aws_x", "y", "", "provider.aws", None, {}, source, origin)

    hcl = scan.Loaded(
        scan.ScanInput("env", "hcl", ""),
        (
            resource("aws_x.counted[0]", Source("env/main.tf", 4), Origin.HCL),
            resource('module.m["a"].aws_x.y', Source("mod/main.tf", 9), Origin.HCL),
        ),
    )
    plan = scan.Loaded(
        scan.ScanInput("plan.json", "plan", ""),
        (
            resource("aws_x.counted[0]", Source("plan.json"), Origin.PLAN),
            resource('module.m["b"].aws_x.y', Source("plan.json"), Origin.PLAN),
            resource("aws_x.only_in_plan", Source("plan.json"), Origin.PLAN),
        ),
    )
    borrowed = scan.borrow_sources(plan, [hcl])
    assert [r.source for r in borrowed.resources] == [
        Source("env/main.tf", 4),
        Source("mod/main.tf", 9),
        Source("plan.json"),
    ]
    assert all(r.origin is Origin.PLAN for r in borrowed.resources)


def test_directory_digest_covers_the_root_and_its_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()  # the tree module sources may not leave
    module = tmp_path / "modules" / "efs"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(KMS + PASS_EFS)
    (module / "variables.tf").write_text('variable "unused" {\n  default = 1\n}\n')
    folder = tf_dir(tmp_path, 'module "efs" {\n  source = "../modules/efs"\n}\n')
    first = scan.load_hcl_input(folder).input.sha256
    monkeypatch.chdir(tmp_path)
    assert scan.load_hcl_input(Path("env")).input.sha256 == first  # relative or absolute: same
    (module / "variables.tf").write_text('variable "unused" {\n  default = 2\n}\n')
    second = scan.load_hcl_input(folder).input.sha256
    assert second != first
    (folder / "terraform.tfvars").write_text('x = "1"\n')
    assert scan.load_hcl_input(folder).input.sha256 not in (first, second)


def test_the_module_entry_point(tmp_path: Path) -> None:
    folder = tf_dir(tmp_path, KMS, FAIL_EFS)
    done = subprocess.run(
        [sys.executable, "-m", "compliance", "scan", str(folder), "--format", "markdown"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "# Compliance scan" in done.stdout and done.stderr == ""
    helped = subprocess.run(
        [sys.executable, "-m", "compliance", "scan", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0 and "--plan PLAN_JSON" in helped.stdout


def test_every_command_refuses_an_unwritable_output_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One report writer for scan and diff (and evidence's folder): an unwritable place is bad input."""
    plan = plan_file(tmp_path, efs_change("x", True, ["create"]))
    env = tf_dir(tmp_path, KMS, PASS_EFS)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    commands = [
        ["scan", "--plan", str(plan), "--output", str(tmp_path / "no" / "r.txt")],
        ["diff", "--base", str(plan), "--head", str(plan), "--output", str(tmp_path / "no" / "d.md")],
        ["evidence", str(env), "--no-plan", "--output-dir", str(blocker / "bundle")],
    ]
    for argv in commands:
        code, out, err = invoke(capsys, *argv)
        assert code == 2, (argv, err)
        last = err.splitlines()[-1]  # evidence first notes that bundles are not signed
        assert out == "" and last.startswith("error: ") and "cannot write" in last, (argv, err)
