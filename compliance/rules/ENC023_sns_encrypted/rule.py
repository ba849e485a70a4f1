"""SNS topics encrypt messages at rest with a KMS key (SNS has no default encryption)."""

from __future__ import annotations

from compliance.analysis.kms import key_is_set
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return key_is_set(resource.values.get("kms_master_key_id"), "kms_master_key_id")


RULE = Rule(
    id="ENC023",
    title="SNS topic encrypts messages at rest",
    severity=Severity.MEDIUM,
    types=("aws_sns_topic",),
    rationale="SNS stores messages until delivery and, unlike SQS, has no default encryption; alarm and "
    "workflow notifications can name patients. Messages are transient, so alias/aws/sns is accepted.",
    remediation='Set kms_master_key_id = aws_kms_key.<name>.arn (or "alias/aws/sns").',
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
)
