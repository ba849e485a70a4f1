"""EFS file systems are encrypted at rest with a KMS key."""

from __future__ import annotations

from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed, unknown
from compliance.values import describe, is_set, truth


def check(resource: Resource, model: Model) -> Result:
    encrypted = resource.values.get("encrypted")
    status = truth(encrypted)
    if status is Status.FAIL:
        return failed(f"encrypted is {describe(encrypted)}")
    if status is Status.UNKNOWN:
        return unknown("encrypted is not known before apply")
    key = resource.values.get("kms_key_id")
    key_status = is_set(key)
    if key_status is Status.FAIL:
        return failed("encrypted is true but kms_key_id is unset (AWS-managed key)")
    if key_status is Status.UNKNOWN:
        return unknown("kms_key_id is not known before apply")
    return passed(f"encrypted is true with kms_key_id {describe(key)}")


RULE = Rule(
    id="ENC001",
    title="EFS file system encrypts data at rest with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_efs_file_system",),
    rationale="EFS holds the Neo4j graph of clinical data; a customer-managed key lets us audit and revoke access.",
    remediation="Set encrypted = true and kms_key_id to a customer-managed aws_kms_key ARN.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
)
