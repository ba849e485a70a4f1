"""Aurora and Multi-AZ RDS clusters encrypt their storage."""

from __future__ import annotations

from compliance.analysis.storage import storage_encrypted
from compliance.model import Model, Resource, Result, Rule, Severity, Status


def check(resource: Resource, model: Model) -> Result:
    if resource.values.get("engine_mode") == "serverless":
        return Result(Status.PASS, "engine_mode 'serverless' (Aurora Serverless v1) is always encrypted")
    return storage_encrypted(resource, model)


RULE = Rule(
    id="ENC015",
    title="RDS cluster encrypts its storage",
    severity=Severity.HIGH,
    types=("aws_rds_cluster",),
    rationale="Aurora provisioned and Serverless v2 clusters (engine_mode provisioned) are unencrypted "
    "unless storage_encrypted is true; only Serverless v1 is always encrypted. Encryption cannot be "
    "added to an existing cluster.",
    remediation="Set storage_encrypted = true and kms_key_id = aws_kms_key.<name>.arn.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
)
