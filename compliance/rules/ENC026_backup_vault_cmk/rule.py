"""AWS Backup vaults encrypt recovery points with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return customer_managed_key(resource.values.get("kms_key_arn"), "kms_key_arn", model)


RULE = Rule(
    id="ENC026",
    title="Backup vault encrypts recovery points with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_backup_vault",),
    rationale="Recovery points are full copies of the health data. Without kms_key_arn the vault uses the "
    "AWS-managed aws/backup key, which cannot be shared for cross-account copies or restricted by our key "
    "policy.",
    remediation="Set kms_key_arn = aws_kms_key.<name>.arn when creating the vault (it cannot be changed).",
    controls={
        "HIPAA": ("164.312(a)(2)(iv)", "164.308(a)(7)(ii)(A)"),
        "PIPEDA": ("4.7.1", "4.7.2", "4.7.3"),
    },
    check=check,
    help_uri="https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
)
