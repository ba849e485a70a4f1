"""CloudTrail trails encrypt their log files with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.values import describe, is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("kms_key_id")
    status = is_set(value)
    if status is Status.UNKNOWN:
        return unknown("kms_key_id is not known before apply")
    if status is Status.FAIL:
        return failed("kms_key_id is unset: log files are encrypted only with S3-managed keys")
    return passed(f"kms_key_id is {describe(value)}")


RULE = Rule(
    id="LOG003",
    title="CloudTrail trail encrypts its logs with a KMS key",
    severity=Severity.MEDIUM,
    types=("aws_cloudtrail",),
    rationale=(
        "Trail logs name the principals and resources that touched PHI. SSE-KMS adds a key policy as a "
        "second gate on who can read them, and every decryption is itself logged."
    ),
    remediation="Set kms_key_id to a customer-managed aws_kms_key ARN whose policy allows cloudtrail.amazonaws.com.",
    controls={"HIPAA": ("164.312(b)", "164.312(a)(2)(iv)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
)
