"""Databases refuse deletion until deletion protection is switched off on purpose."""

from __future__ import annotations

from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("deletion_protection")
    status = truth(value)
    if status is Status.UNKNOWN:
        return unknown("deletion_protection is not known before apply")
    if status is Status.FAIL:
        return failed(f"deletion_protection is {describe(value)}: one destroy deletes the database")
    return passed("deletion_protection is true")


RULE = Rule(
    id="BAK006",
    title="Databases have deletion protection",
    severity=Severity.MEDIUM,
    types=("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"),
    rationale=(
        "A mistaken terraform destroy, or a rename that forces replacement, deletes a database holding PHI "
        "together with its automated backups unless deletion protection stops the API call."
    ),
    remediation="Set deletion_protection = true (switch it off in a separate, reviewed change before a "
    "planned deletion).",
    controls={"HIPAA": ("164.308(a)(7)(ii)(A)", "164.312(c)(1)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection",
)
