"""ECR repositories encrypt images with a customer-managed KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.values import blocks, describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result:
    configs = blocks(resource.values, "encryption_configuration")
    if isinstance(configs, Unknown):
        return Result(Status.UNKNOWN, "encryption_configuration is not known before apply")
    kind = configs[0].get("encryption_type") if configs else None
    if isinstance(kind, Unknown):
        return Result(Status.UNKNOWN, "encryption_configuration.encryption_type is not known before apply")
    if kind != "KMS":
        shown = describe(kind) if kind else "unset (AES256 with an AWS-owned key)"
        return Result(Status.FAIL, f"encryption_configuration.encryption_type is {shown}")
    return customer_managed_key(configs[0].get("kms_key"), "encryption_configuration.kms_key", model)


RULE = Rule(
    id="ENC011",
    title="ECR repository encrypts images with a customer-managed KMS key",
    severity=Severity.LOW,
    types=("aws_ecr_repository",),
    rationale="Images carry the service code and its baked-in configuration. ECR defaults to AES256 with an "
    "AWS-owned key; KMS without kms_key uses the AWS-managed aws/ecr key. A customer-managed key lets us "
    "restrict and audit every pull.",
    remediation='Add encryption_configuration { encryption_type = "KMS", kms_key = aws_kms_key.<name>.arn } '
    "(it can only be set when the repository is created).",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
)
