"""Neptune clusters encrypt their storage."""

from __future__ import annotations

from compliance.analysis.storage import storage_encrypted
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return storage_encrypted(resource, model)


RULE = Rule(
    id="ENC016",
    title="Neptune cluster encrypts its storage",
    severity=Severity.HIGH,
    types=("aws_neptune_cluster",),
    rationale="A graph of patients, encounters and notes is health data; Neptune storage_encrypted "
    "defaults to false and cannot be changed after creation.",
    remediation="Set storage_encrypted = true and kms_key_arn = aws_kms_key.<name>.arn.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html",
)
