"""EFS file systems are encrypted at rest with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, unknown


def check(resource: Resource, model: Model) -> Result:
    encrypted = resource.values.get("encrypted")
    status = truth(encrypted)
    if status is Status.FAIL:
        return failed(f"encrypted is {describe(encrypted)}")
    if status is Status.UNKNOWN:
        return unknown("encrypted is not known before apply")
    key = customer_managed_key(resource.values.get("kms_key_id"), "kms_key_id", model)
    return Result(key.status, f"encrypted is true; {key.message}")


RULE = Rule(
    id="ENC001",
    title="EFS file system encrypts data at rest with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_efs_file_system",),
    rationale="EFS holds the Neo4j graph of clinical data; a customer-managed key lets us audit and revoke "
    "access. Without kms_key_id (or with alias/aws/elasticfilesystem) EFS uses the AWS-managed key.",
    remediation="Set encrypted = true and kms_key_id to a customer-managed aws_kms_key ARN.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
)
