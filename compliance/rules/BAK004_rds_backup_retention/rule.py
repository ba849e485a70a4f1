"""RDS instances and clusters keep automated backups for at least 7 days."""

from __future__ import annotations

from compliance.analysis.values import is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown

MINIMUM_DAYS = 7


def check(resource: Resource, model: Model) -> Result | None:
    source = resource.values.get("replicate_source_db")
    if is_set(source) is Status.PASS:
        return None  # a read replica: backups are taken from its source
    days = resource.values.get("backup_retention_period")
    if isinstance(days, Unknown):
        return unknown("backup_retention_period is not known before apply")
    if days is None:
        return failed("backup_retention_period is unset: AWS keeps 1 day of automated backups")
    if int(days) < MINIMUM_DAYS:
        return failed(f"backup_retention_period is {days} (at least {MINIMUM_DAYS} days required)")
    return passed(f"backup_retention_period is {days}")


RULE = Rule(
    id="BAK004",
    title="RDS databases keep automated backups for at least 7 days",
    severity=Severity.MEDIUM,
    types=("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"),
    rationale=(
        "Point-in-time recovery is bounded by the backup retention period; with 0 or 1 day a corruption "
        "noticed after a weekend cannot be undone."
    ),
    remediation="Set backup_retention_period to 7 or more (35 at most).",
    controls={"HIPAA": ("164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
)
