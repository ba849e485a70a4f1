"""`scan --live` without a state on the emulator-applied staging: discovery finds every applied object of
the types it lists, judges them as the plan+HCL scan of the root does, and judges what the emulator holds
beside them (its default VPC and groups) instead of dropping it."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from compliance.cli import main
from compliance.loaders.live import GAP, state_resources
from compliance.loaders.live.account import caller_clients
from compliance.loaders.live.discovery import DISCOVERED_TYPES, GLOBAL, REGIONAL, load_discovered
from compliance.model import Finding, Resource
from compliance.scan import DISCOVERY, LiveAccount, scan
from tests.integration.auditor import live_auditor
from tests.integration.pipeline import REGION, Pipeline
from tests.integration.quirks import AGREEMENT_QUIRKS
from tests.integration.test_tier import _agreement_summary
from tests.integration.tier import compare_findings, resource_type

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPLICAS = "ca-west-1"  # staging's replica bucket and key
# boto3 service -> the type prefix of what its lister finds (for a listing the emulator fails: a gap)
SERVICE_TYPES = {"backup": "aws_backup_", "efs": "aws_efs_", "lambda": "aws_lambda_", "ecs": "aws_ecs_"}
# moto cannot verify these services' request signatures while it enforces IAM (tests/loaders/test_live_policy.py)
MOTO_UNSIGNABLE_SERVICES = frozenset({"efs", "opensearch", "backup", "lambda"})


def _moto_only(backend: str) -> None:
    if backend != "moto":
        pytest.skip("LocalStack community answers 501 for ECS, ELBv2, EFS, Cloud Map and CloudTrail")


def to_state(discovered: tuple[Resource, ...], state: Mapping[str, Any]) -> dict[str, str]:
    """Discovered address -> the applied address of the same object (same type, same ARN or id; an
    attachment by its role and policy)."""
    by_key: dict[tuple[str, str], str] = {}
    for item in state_resources(state):
        values = item.values
        keys: list[Any] = [values.get("arn"), values.get("id")]
        if item.type == "aws_iam_role_policy_attachment":
            keys = [f"{values.get('role')}/{values.get('policy_arn')}"]
        for key in keys:
            if isinstance(key, str) and key:
                by_key.setdefault((item.type, key), item.address)
    found: dict[str, str] = {}
    for resource in discovered:
        own: list[Any] = [resource.values.get("arn"), resource.values.get("id")]
        if resource.type == "aws_iam_role_policy_attachment":
            own = [resource.name]
        match = next(
            (by_key[(resource.type, k)] for k in own if isinstance(k, str) and (resource.type, k) in by_key),
            None,
        )
        if match is not None:
            found[resource.address] = match
    return found


def _explain(rule_id: str, resource: str) -> str | None:
    for backends, address, rule, reason in AGREEMENT_QUIRKS:
        if (
            "moto" in backends
            and fnmatch.fnmatchcase(resource, address)
            and fnmatch.fnmatchcase(rule_id, rule)
        ):
            return reason
    return None


def _renamed(findings: tuple[Finding, ...], names: Mapping[str, str]) -> list[Finding]:
    return [dataclasses.replace(f, resource=names[f.resource]) for f in findings if f.resource in names]


def test_discovery_agrees_with_the_plan_and_hcl_scan(
    applied: Pipeline, backend: str, report: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _moto_only(backend)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    output = tmp_path / "discovered.json"
    # rule judgments are compared, not waivers: ours name Terraform addresses, discovery has its own
    unwaived = tmp_path / "waivers.yaml"
    unwaived.write_text("waivers: []\n")
    argv = [
        "scan",
        "--live",
        "--region",
        REGION,
        "--region",
        REPLICAS,
        "--endpoint-url",
        applied.endpoint_url,
    ]
    with live_auditor(applied, monkeypatch, enforce=False):
        code = main([*argv, "--waivers", str(unwaived), "--format", "json", "--output", str(output)])
        account = LiveAccount((REGION, REPLICAS), applied.endpoint_url)
        api = scan(live=[None], live_account=account, waivers=unwaived)
    assert code == api.exit_code and code in (0, 1)
    (result,) = api.results
    assert result.path == f"{DISCOVERY}:{REGION},{REPLICAS}"
    cli = json.loads(output.read_text())["findings"]
    assert {(f["rule_id"], f["resource"], f["status"]) for f in cli} == {
        (f.rule_id, f.resource, f.status.value) for f in api.findings
    }

    names = to_state(result.resources, applied.state)
    applied_here = {r.address for r in state_resources(applied.state) if r.type in DISCOVERED_TYPES}
    gaps = {r.values["type"]: r.values["reason"] for r in result.resources if r.type == GAP}
    unlisted = tuple(SERVICE_TYPES[what.split()[0]] for what in gaps)  # "<service> objects in <region>"
    missed = sorted(applied_here - set(names.values()))
    not_found = [a for a in missed if not resource_type(a).startswith(unlisted)]
    extras = sorted({r.address for r in result.resources} - set(names))
    judged_extras = sorted({f.resource for f in result.findings} & set(extras))
    plan = applied.out / "plan.json"
    planned = scan([applied.workdir], [plan], waivers=unwaived).result_of(plan)
    agreement = compare_findings(
        planned.findings, _renamed(result.findings, names), lambda a: a in set(names.values()), _explain
    )
    report["discovery"] = {
        "exit_code": code,
        "discovered": len(result.resources),
        "matched_to_state": len(names),
        "applied_not_found": not_found,
        "listing_gaps": gaps,
        "not_found_behind_a_gap": sorted(set(missed) - set(not_found)),
        "extra_objects": extras,
        "extra_objects_judged": judged_extras,
        **_agreement_summary(agreement),
    }
    assert not not_found, f"applied objects discovery did not find: {not_found}"
    assert any(a.startswith("aws_vpc.") for a in extras), "the emulator's default VPC was not discovered"
    assert any(a.startswith("aws_vpc.") for a in judged_extras), "the default VPC was dropped, not judged"
    disagreements = report["discovery"]["disagreements"]
    assert agreement.compared > 0 and not disagreements, "discovery and plan+HCL disagree: " + str(
        disagreements
    )


def test_the_read_only_policy_discovers_the_applied_staging(
    backend: str, applied: Pipeline, report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto enforcing IAM: the auditor holding only the shipped policy lists and describes the account
    (but the services moto cannot verify while enforcing) without a denial."""
    _moto_only(backend)
    services = (set(REGIONAL) | set(GLOBAL)) - MOTO_UNSIGNABLE_SERVICES
    with live_auditor(applied, monkeypatch, enforce=True):
        found = load_discovered(caller_clients(REGION, applied.endpoint_url), [REGION], services=services)
    report["discovery_policy"] = {
        "iam_enforced": True,
        "discovered": len(found),
        "left_out": sorted(MOTO_UNSIGNABLE_SERVICES),
    }
    kinds = {r.type for r in found}
    assert {"aws_iam_role", "aws_s3_bucket", "aws_ecs_task_definition", "aws_lb", "aws_kms_key"} <= kinds
