"""AWS Backup copies go only to vaults in Canada."""

from __future__ import annotations

from compliance.analysis.residency import destination_region, regions_result
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    rules = blocks(resource.values, "rule")
    if isinstance(rules, Unknown):
        return unknown("rule is not known before apply")
    found = []
    for index, rule in enumerate(rules):
        copies = blocks(rule, "copy_action")
        if isinstance(copies, Unknown):
            return unknown(f"rule[{index}].copy_action is not known before apply")
        for copy in copies:
            region, where = destination_region(copy.get("destination_vault_arn"), model, "aws_backup_vault")
            found.append((region, f"the region of rule[{index}].copy_action vault {where}"))
    return regions_result(found, allowed=model.settings.allowed_regions)


RULE = Rule(
    id="RES003",
    title="Backup copies go only to vaults in Canada",
    severity=Severity.HIGH,
    types=("aws_backup_plan",),
    rationale="A copy action duplicates every recovery point, health data included, into the destination "
    "vault's region; disaster-recovery copies must stay in Canada (ca-west-1 pairs with ca-central-1).",
    remediation="Point copy_action.destination_vault_arn at a vault created by a ca-central-1 or ca-west-1 "
    "provider (a reference, or a literal ARN in one of those regions).",
    controls={"HIPAA": ("164.308(a)(7)(ii)(B)",), "PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html",
)
