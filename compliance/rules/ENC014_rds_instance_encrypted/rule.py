"""RDS instances encrypt their storage, snapshots, logs and replicas."""

from __future__ import annotations

from compliance.analysis.storage import storage_encrypted
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return storage_encrypted(resource, model)


RULE = Rule(
    id="ENC014",
    title="RDS DB instance encrypts its storage",
    severity=Severity.HIGH,
    types=("aws_db_instance",),
    rationale="RDS storage_encrypted defaults to false, and it cannot be turned on later without a "
    "snapshot copy and restore; an unencrypted instance leaves health data, its backups and snapshots "
    "in cleartext at rest.",
    remediation="Set storage_encrypted = true and kms_key_id = aws_kms_key.<name>.arn (replace the instance "
    "from an encrypted snapshot copy if it exists).",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
)
