"""CloudWatch log groups are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return customer_managed_key(resource.values.get("kms_key_id"), "kms_key_id", model)


RULE = Rule(
    id="ENC010",
    title="CloudWatch log group is encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    types=("aws_cloudwatch_log_group",),
    rationale="Application and audit logs can carry fragments of clinical notes and identifiers. Without "
    "kms_key_id the log group uses a service-owned key that no key policy of ours restricts.",
    remediation="Set kms_key_id = aws_kms_key.<name>.arn, with a key policy allowing logs.<region>.amazonaws.com.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
)
