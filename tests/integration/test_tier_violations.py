"""Violations applied live: the seeded-violation root (tests/integration/violations) applied to moto over
HTTP fails exactly the rules and resources of tests/integration/seeded.py, in the live scan (`scan --live`
as an auditor runs it) and in the HCL+plan scan, and the two agree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from compliance.cli import main
from compliance.loaders.live import Clients, load_runtime, state_resources
from compliance.model import Finding, Status
from compliance.scan import LiveAccount, ScanResult, scan
from tests.integration import seeded
from tests.integration.auditor import live_auditor
from tests.integration.pipeline import REGION, Pipeline
from tests.integration.tier import compare_findings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _pairs(findings: Iterable[Finding], status: Status) -> set[tuple[str, str]]:
    return {(f.rule_id, f.resource) for f in findings if f.status is status}


def _applied(violations: Pipeline) -> set[str]:
    return {r.address for r in state_resources(violations.state)}


@pytest.fixture(scope="module")
def configured(violations: Pipeline) -> ScanResult:
    return scan([violations.workdir], [violations.out / "plan.json"])


@pytest.fixture(scope="module")
def live_scan(
    violations: Pipeline, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, list[dict[str, Any]], ScanResult]:
    """`scan --live STATE --endpoint-url URL` as the auditor user (the shipped read-only policy), and the
    same scan through the API."""
    state = violations.out / "state.json"
    output = tmp_path_factory.mktemp("violations") / "live.json"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        with live_auditor(violations, monkeypatch, enforce=False):
            argv = ["scan", "--live", str(state), "--region", REGION]
            argv += ["--endpoint-url", violations.endpoint_url, "--format", "json", "--output", str(output)]
            code = main(argv)
            api = scan(live=[state], live_account=LiveAccount(REGION, violations.endpoint_url))
    return code, json.loads(Path(output).read_text())["findings"], api


def test_every_seeded_object_is_applied(violations: Pipeline) -> None:
    applied = _applied(violations)
    seeded_objects = {resource for _, resource in seeded.APPLIED_FAILS | seeded.UNKNOWNS}
    assert seeded_objects | {seeded.KEY_OUTSIDE_CANADA} <= applied, sorted(seeded_objects - applied)


@pytest.mark.parametrize("form", ["hcl", "plan"])
def test_the_configuration_scan_fails_exactly_the_seeded_violations(
    violations: Pipeline, configured: ScanResult, form: str
) -> None:
    source = violations.workdir if form == "hcl" else violations.out / "plan.json"
    findings = configured.result_of(source).findings
    assert _pairs(findings, Status.FAIL) == seeded.APPLIED_FAILS | seeded.CONFIG_FAILS
    assert _pairs(findings, Status.UNKNOWN) == seeded.UNKNOWNS


def test_the_live_scan_fails_exactly_the_seeded_violations(
    violations: Pipeline, live_scan: tuple[int, list[dict[str, Any]], ScanResult]
) -> None:
    code, cli_findings, api = live_scan
    assert code == api.exit_code == 1
    assert {(f["rule_id"], f["resource"], f["status"]) for f in cli_findings} == {
        (f.rule_id, f.resource, f.status.value) for f in api.findings
    }
    assert _pairs(api.findings, Status.FAIL) == seeded.APPLIED_FAILS
    assert _pairs(api.findings, Status.UNKNOWN) == seeded.UNKNOWNS


def test_plan_and_live_agree_on_the_violations(
    violations: Pipeline, configured: ScanResult, live_scan: tuple[int, list[dict[str, Any]], ScanResult]
) -> None:
    """The agreement of the staging tier, strict: a live FAIL the plan did not show fails it."""
    planned = configured.result_of(violations.out / "plan.json").findings
    applied = _applied(violations)
    agreement = compare_findings(planned, live_scan[2].findings, lambda address: address in applied)
    assert agreement.compared > 0
    assert not agreement.disagreements, "\n".join(map(str, agreement.disagreements))
    assert not agreement.explained


def test_the_key_outside_canada_is_caught_in_every_form(
    violations: Pipeline, configured: ScanResult, live_scan: tuple[int, list[dict[str, Any]], ScanResult]
) -> None:
    """RES001 fails the provider that puts the key in us-east-1 (HCL and plan); RES008 fails the key itself
    where it is, in the plan and live (the live describer reads it in us-east-1)."""
    plan = configured.result_of(violations.out / "plan.json").findings
    assert ("RES001", "provider.aws.replica") in _pairs(plan, Status.FAIL)
    assert ("RES008", seeded.KEY_OUTSIDE_CANADA) in _pairs(plan, Status.FAIL)
    live = load_runtime(violations.state, Clients(REGION, violations.endpoint_url))
    (key,) = (r for r in live.resources if r.address == seeded.KEY_OUTSIDE_CANADA)
    assert key.region == "us-east-1", key.region
    assert ("RES008", seeded.KEY_OUTSIDE_CANADA) in _pairs(live_scan[2].findings, Status.FAIL)
