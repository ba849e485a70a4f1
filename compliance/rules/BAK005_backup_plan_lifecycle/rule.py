"""AWS Backup plan rules expire their recovery points."""

from __future__ import annotations

from compliance.analysis.values import blocks, get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    rules = blocks(resource.values, "rule")
    if isinstance(rules, Unknown):
        return unknown("rule is not known before apply")
    forever: list[str] = []
    doubtful: list[str] = []
    for index, rule in enumerate(rules):
        name = rule.get("rule_name")
        label = name if isinstance(name, str) else f"#{index}"
        days = get(rule, "lifecycle.delete_after")
        if isinstance(days, Unknown):
            doubtful.append(label)
        elif not days:
            forever.append(label)
    if forever:
        return failed(
            f"rule {', '.join(forever)} has no lifecycle.delete_after: recovery points are kept forever"
        )
    if doubtful:
        return unknown(f"lifecycle.delete_after of rule {', '.join(doubtful)} is not known before apply")
    if not rules:
        return failed("the plan has no rule")
    return passed("every rule sets lifecycle.delete_after")


RULE = Rule(
    id="BAK005",
    title="AWS Backup plan rules expire their recovery points",
    severity=Severity.LOW,
    types=("aws_backup_plan",),
    rationale=(
        "Backups are copies of PHI; without lifecycle.delete_after they are kept forever, beyond any "
        "retention need, against PIPEDA 4.5.3 (destroy what is no longer required)."
    ),
    remediation="Add lifecycle { delete_after = N } to every rule (and to copy_action lifecycles).",
    controls={"HIPAA": ("164.308(a)(7)(ii)(A)",), "PIPEDA": ("4.5.3", "4.7.5")},
    check=check,
    help_uri="https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html",
)
