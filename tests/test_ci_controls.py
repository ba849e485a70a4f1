"""CI controls of `scan`: rule selection, --fail-on, --soft-fail, baselines, several reports in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import FAIL_EFS, KMS, PASS_EFS, invoke, tf_dir

# ENC001 (high) fails on the plain file system, ENC022 (medium) on the plain queue.
SQS_PLAIN = 'resource "aws_sqs_queue" "plain" {\n  name = "q"\n  sqs_managed_sse_enabled = false\n}\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return tf_dir(tmp_path, KMS, PASS_EFS, FAIL_EFS, SQS_PLAIN)


def failing_rules(out: str) -> set[str]:
    return {f["rule_id"] for f in json.loads(out)["findings"] if f["status"] == "fail"}


def test_rule_and_skip_rule_take_ids_families_and_globs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "scan", str(repo), "--rule", "ENC", "--format", "json")
    assert code == 1 and {"ENC001", "ENC022"} <= failing_rules(out)
    code, out, _ = invoke(
        capsys, "scan", str(repo), "--rule", "ENC0*", "--skip-rule", "ENC001", "--format", "json"
    )
    assert "ENC001" not in failing_rules(out) and "ENC022" in failing_rules(out)
    code, out, _ = invoke(capsys, "scan", str(repo), "--rule", "ENC001", "--format", "json")
    assert failing_rules(out) == {"ENC001"}
    code, _, err = invoke(capsys, "scan", str(repo), "--skip-rule", "ENC999")
    assert code == 2 and "'ENC999' matches no rule" in err


def test_fail_on_ignores_findings_below_the_severity(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.rules import RULES

    severity = {r.id: r.severity.value for r in RULES}
    assert (severity["ENC001"], severity["ENC022"]) == ("high", "medium")
    assert invoke(capsys, "scan", str(repo), "--rule", "ENC022", "--fail-on", "medium")[0] == 1
    assert invoke(capsys, "scan", str(repo), "--rule", "ENC022", "--fail-on", "HIGH")[0] == 0
    assert invoke(capsys, "scan", str(repo), "--rule", "ENC0*", "--fail-on", "high")[0] == 1
    assert invoke(capsys, "scan", str(repo), "--rule", "ENC001", "--fail-on", "critical")[0] == 0
    code, _, err = invoke(capsys, "scan", str(repo), "--fail-on", "urgent")
    assert code == 2 and "--fail-on: 'urgent'" in err


def test_soft_fail_reports_but_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "scan", str(repo), "--rule", "ENC001", "--soft-fail")
    assert code == 0 and "FAIL" in out and "soft-fail" in err


def test_a_baseline_fails_only_on_new_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tf_dir(tmp_path, KMS, FAIL_EFS)
    base = tmp_path / "baseline.json"
    code, _, err = invoke(capsys, "scan", str(folder), "--rule", "ENC001", "--create-baseline", str(base))
    assert code == 0 and "1 failing findings" in err
    assert len(json.loads(base.read_text())["fingerprints"]) == 1
    code, out, _ = invoke(
        capsys, "scan", str(folder), "--rule", "ENC001", "--baseline", str(base), "--format", "json"
    )
    (finding,) = json.loads(out)["findings"]
    assert code == 0 and finding["status"] == "waived" and "in baseline" in finding["waiver"]["justification"]
    (folder / "more.tf").write_text(FAIL_EFS.replace('"bad"', '"worse"'))
    code, out, _ = invoke(
        capsys, "scan", str(folder), "--rule", "ENC001", "--baseline", str(base), "--format", "json"
    )
    assert code == 1 and [f["resource"] for f in json.loads(out)["findings"] if f["status"] == "fail"] == [
        "aws_efs_file_system.worse"
    ]
    base.write_text('{"version": 7}')
    code, _, err = invoke(capsys, "scan", str(folder), "--baseline", str(base))
    assert code == 2 and f"{base}: version" in err


def test_several_reports_in_one_run(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif, junit = tmp_path / "a.sarif", tmp_path / "b.xml"
    argv = ["scan", str(repo), "--rule", "ENC001", "--format", "sarif", "--output", str(sarif)]
    code, out, _ = invoke(capsys, *argv, "--format", "junit", "--output", str(junit))
    assert code == 1 and out == ""
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith("<?xml")
    code, _, err = invoke(capsys, *argv, "--format", "junit")
    assert code == 2 and "one --output per --format" in err
