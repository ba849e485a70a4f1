"""DocumentDB clusters encrypt their storage."""

from __future__ import annotations

from compliance.analysis.storage import storage_encrypted
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return storage_encrypted(resource, model)


RULE = Rule(
    id="ENC017",
    title="DocumentDB cluster encrypts its storage",
    severity=Severity.HIGH,
    types=("aws_docdb_cluster",),
    rationale="DocumentDB storage_encrypted defaults to false in the API and Terraform, and cannot be "
    "changed after creation; documents of health data would sit in cleartext.",
    remediation="Set storage_encrypted = true and kms_key_id = aws_kms_key.<name>.arn.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
)
