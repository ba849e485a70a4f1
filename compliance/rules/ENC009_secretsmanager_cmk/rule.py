"""Secrets Manager secrets are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return customer_managed_key(resource.values.get("kms_key_id"), "kms_key_id", model)


RULE = Rule(
    id="ENC009",
    title="Secrets Manager secret is encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    types=("aws_secretsmanager_secret",),
    rationale="Secrets open the databases of health data. With the AWS-managed aws/secretsmanager key any "
    "principal of the account allowed secretsmanager:GetSecretValue can decrypt; a customer-managed key "
    "adds a key policy, per-use audit and cross-account sharing only when we grant it.",
    remediation="Set kms_key_id = aws_kms_key.<name>.arn on the secret.",
    controls={"HIPAA": ("164.312(a)(2)(iv)", "164.312(d)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
)
