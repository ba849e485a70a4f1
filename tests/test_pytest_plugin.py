"""The compliance gate as pytest items, run through pytester over a small Terraform directory."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from compliance.rules.ENC001_efs_encrypted.rule import RULE as ENC001

pytest_plugins = ["pytester"]

MAIN_TF = """\
resource "aws_kms_key" "k" {
  description = "k"
}

resource "aws_efs_file_system" "pass_kms" {
  encrypted  = true
  kms_key_id = aws_kms_key.k.arn
}

resource "aws_efs_file_system" "fail_plain" {
  encrypted = false
}

resource "aws_efs_file_system" "unknown_computed" {
  encrypted  = aws_kms_key.k.arn != ""
  kms_key_id = aws_kms_key.k.arn
}
"""

WAIVERS = """\
waivers:
  - rule: ENC001
    resource: aws_efs_file_system.unknown_*
    justification: Decided at apply time; checked by the runtime scan
    expires: 2999-01-01
"""


@pytest.fixture(autouse=True)
def only_enc001(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    monkeypatch.setattr("compliance.rules.RULES", (ENC001,))
    if request.node.name != WITH_ENTRY_POINTS:
        # Faster runs: only -p plugins. The entry point's double registration is tested once below.
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def env(pytester: pytest.Pytester) -> Path:
    folder = pytester.path / "envs" / "staging"
    folder.mkdir(parents=True)
    (folder / "main.tf").write_text(MAIN_TF)
    return folder


WITH_ENTRY_POINTS = "test_findings_become_items_and_failures_show_file_line_and_remediation"
GATE = ("-p", "compliance.pytest_plugin", "-m", "compliance", "-p", "no:cacheprovider")


def test_findings_become_items_and_failures_show_file_line_and_remediation(
    pytester: pytest.Pytester, env: Path
) -> None:
    result = pytester.runpytest(*GATE, "--compliance-path", "envs/staging", "-rA")
    result.assert_outcomes(passed=1, failed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*_ ENC001::aws_efs_file_system.fail_plain _*",
            "ENC001 FAIL: EFS file system encrypts data at rest with a customer-managed KMS key",
            "  resource:    aws_efs_file_system.fail_plain",
            "  at:          envs/staging/main.tf:10",
            "  message:     encrypted is false",
            "  remediation: Set encrypted = true*",
            "PASSED envs/staging::ENC001::aws_efs_file_system.pass_kms",
            "FAILED envs/staging::ENC001::aws_efs_file_system.unknown_computed*",
        ]
    )
    assert "Traceback" not in result.stdout.str() and "def runtest" not in result.stdout.str()


def test_waived_findings_are_skipped_with_their_justification(pytester: pytest.Pytester, env: Path) -> None:
    (pytester.path / "waivers.yaml").write_text(WAIVERS)
    result = pytester.runpytest(
        *GATE, "--compliance-path", "envs/staging", "--compliance-waivers", "waivers.yaml", "-rs"
    )
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*waived until 2999-01-01: Decided at apply time*"])


def test_marker_selection_and_plan_inputs(pytester: pytest.Pytester) -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "module.neo4j.aws_efs_file_system.this",
                "module_address": "module.neo4j",
                "mode": "managed",
                "type": "aws_efs_file_system",
                "name": "this",
                "change": {"actions": ["create"], "after": {"encrypted": False}, "after_unknown": {}},
            }
        ],
    }
    (pytester.path / "plan.json").write_text(json.dumps(plan))
    result = pytester.runpytest(*GATE, "--compliance-plan", "plan.json", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["plan.json::ENC001::module.neo4j.aws_efs_file_system.this"])
    unselected = pytester.runpytest(
        "-p", "compliance.pytest_plugin", "-m", "not compliance", "--compliance-plan", "plan.json"
    )
    unselected.assert_outcomes()
    assert unselected.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_without_options_the_plugin_adds_nothing(pytester: pytest.Pytester, env: Path) -> None:
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest("-p", "compliance.pytest_plugin")
    result.assert_outcomes(passed=1)


def test_the_gate_ignores_unit_tests_unless_asked(pytester: pytest.Pytester, env: Path) -> None:
    pytester.makepyfile(test_broken="raise ImportError('a unit test that does not import')\n")
    gate = pytester.runpytest(*GATE, "--compliance-path", "envs/staging")
    gate.assert_outcomes(passed=1, failed=2)
    explicit = pytester.runpytest(*GATE, "--compliance-path", "envs/staging", "test_broken.py")
    assert explicit.ret == pytest.ExitCode.INTERRUPTED  # the collection error shows when asked for


def test_bad_input_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*GATE, "--compliance-path", "envs/missing")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: compliance: envs/missing: Terraform path not found"])


@pytest.mark.terraform
def test_our_env_plans_pass_completed_by_their_roots(
    pytester: pytest.Pytester, env_plans: dict[str, Path]
) -> None:
    """The gate's plan form: each env plan beside both roots; only the plan's own root completes it."""
    root = Path(__file__).resolve().parents[1] / "terraform" / "envs"
    args = [f"--compliance-path={root / name}" for name in env_plans]
    args += [f"--compliance-plan={plan}" for plan in env_plans.values()]
    result = pytester.runpytest_subprocess(*GATE, *args)
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("passed", 0) > 500, result.outlines[-30:]


def test_items_are_counted_and_marked_by_severity_family_and_control(
    pytester: pytest.Pytester, env: Path
) -> None:
    junit = pytester.path / "junit.xml"
    result = pytester.runpytest(
        *GATE,
        "--compliance-path",
        str(env.resolve()),
        f"--junitxml={junit}",
        "-o",
        "addopts=--strict-markers",
    )
    result.stdout.fnmatch_lines(["collected 3 items"])
    assert "collected 0 items" not in result.stdout.str()
    classnames = {case.get("classname") for case in ET.parse(junit).iter("testcase")}
    assert classnames == {"envs.staging.ENC001"}
    picked = pytester.runpytest(
        *GATE[:2],
        "-m",
        "severity(level='high') and family(name='ENC') and control(framework='HIPAA', id='164.312(a)(2)(iv)')",
        "--compliance-path",
        "envs/staging",
        "--strict-markers",
    )
    picked.assert_outcomes(passed=1, failed=2)
    none = pytester.runpytest(*GATE[:2], "-m", "severity(level='low')", "--compliance-path", "envs/staging")
    none.assert_outcomes()
