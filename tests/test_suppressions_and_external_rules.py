"""Inline suppressions in HCL comments (reported as waived, a reason required) and external rules from
`--rules-dir` (validated like ours)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import KMS, invoke, tf_dir

SUPPRESSED = """resource "aws_efs_file_system" "scratch" {
  # compliance:ignore ENC001 scratch space for benchmarks, holds no patient data
  encrypted = false
}
"""
ABOVE = """# compliance:ignore ENC001,ENC019 rebuilt from public data every night
resource "aws_efs_file_system" "cache" {
  encrypted = false
}
"""
PLAIN = 'resource "aws_efs_file_system" "plain" {\n  encrypted = false\n}\n'


def statuses(out: str) -> dict[str, tuple[str, str]]:
    return {
        f["resource"]: (f["status"], (f.get("waiver") or {}).get("justification", ""))
        for f in json.loads(out)["findings"]
    }


def test_inline_suppressions_are_reported_as_waived(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tf_dir(tmp_path, KMS, SUPPRESSED, ABOVE, PLAIN)
    code, out, _ = invoke(capsys, "scan", str(folder), "--rule", "ENC001", "--format", "json")
    found = statuses(out)
    assert code == 1
    assert found["aws_efs_file_system.plain"] == ("fail", "")
    status, why = found["aws_efs_file_system.scratch"]
    assert (
        status == "waived"
        and why == f"inline at {folder / 'main.tf'}:5: scratch space for benchmarks, holds no patient data"
    )
    assert found["aws_efs_file_system.cache"][0] == "waived"
    code, out, _ = invoke(capsys, "scan", str(folder), "--rule", "ENC001")
    assert "waived (inline): inline at" in out and " until " not in out


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("# compliance:ignore ENC001", "needs a reason"),
        ("# compliance:ignore because I say so", "names no rule id"),
        ("// compliance:ignore ZZZ999 a reason", "unknown rule ZZZ999"),
    ],
)
def test_a_malformed_suppression_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str, problem: str
) -> None:
    folder = tf_dir(
        tmp_path,
        KMS,
        SUPPRESSED.replace(
            "# compliance:ignore ENC001 scratch space for benchmarks, holds no patient data", comment
        ),
    )
    code, _, err = invoke(capsys, "scan", str(folder), "--rule", "ENC001")
    assert code == 2 and f"{folder / 'main.tf'}:5: " in err and problem in err


EXTERNAL = """
from compliance.model import Model, Resource, Result, Rule, Severity, failed, passed


def check(resource: Resource, model: Model) -> Result:
    tags = resource.values.get("tags")
    return passed("tagged with an owner") if isinstance(tags, dict) and "Owner" in tags else failed("no Owner tag")


RULE = Rule(
    id="TAG001",
    title="EFS file systems name their owner",
    severity=Severity.LOW,
    types=("aws_efs_file_system",),
    rationale="Someone must answer for the data.",
    remediation="Add tags = { Owner = ... }.",
    controls={"HIPAA": ("164.312(a)(1)",)},
    check=check,
)
"""


def external(tmp_path: Path, folder: str, text: str) -> Path:
    base = tmp_path / "ours"
    (base / folder).mkdir(parents=True)
    (base / folder / "rule.py").write_text(text)
    return base


def test_rules_from_a_folder_run_beside_ours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = external(tmp_path, "TAG001_efs_owner", EXTERNAL)
    folder = tf_dir(tmp_path, KMS, PLAIN)
    argv = ["scan", str(folder), "--rules-dir", str(base), "--rule", "TAG001", "--format", "json"]
    code, out, _ = invoke(capsys, *argv)
    (finding,) = json.loads(out)["findings"]
    assert code == 1 and (finding["rule_id"], finding["message"]) == ("TAG001", "no Owner tag")


@pytest.mark.parametrize(
    ("folder", "text", "problem"),
    [
        ("TAG001_x", EXTERNAL.replace('"164.312(a)(1)"', '"9.9.9"'), "controls not in the catalogue"),
        ("TAG001_x", EXTERNAL.replace("Someone must answer for the data.", ""), "rationale and remediation"),
        ("TAG002_x", EXTERNAL, "folder names TAG002 but its RULE is TAG001"),
        ("ENC001_mine", EXTERNAL.replace("TAG001", "ENC001"), "ENC001 is already defined"),
        ("TAG001_x", "RULE = None\n", "defines no RULE"),
        ("TAG001_x", "import nowhere_to_be_found\n", "ModuleNotFoundError"),
    ],
)
def test_a_bad_external_rule_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str, text: str, problem: str
) -> None:
    base = external(tmp_path, folder, text)
    code, _, err = invoke(capsys, "scan", str(tf_dir(tmp_path, KMS)), "--rules-dir", str(base))
    assert code == 2 and problem in err and len(err.strip().splitlines()) == 1
