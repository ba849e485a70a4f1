"""Kinesis data streams encrypt records at rest with KMS."""

from __future__ import annotations

from compliance.analysis.kms import key_is_set
from compliance.analysis.values import describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result:
    kind = resource.values.get("encryption_type")
    if isinstance(kind, Unknown):
        return Result(Status.UNKNOWN, "encryption_type is not known before apply")
    if kind != "KMS":
        shown = describe(kind) if kind else "unset (NONE)"
        return Result(Status.FAIL, f"encryption_type is {shown}")
    key = key_is_set(resource.values.get("kms_key_id"), "kms_key_id")
    return Result(key.status, f"encryption_type is 'KMS'; {key.message}")


RULE = Rule(
    id="ENC025",
    title="Kinesis stream encrypts records at rest",
    severity=Severity.MEDIUM,
    types=("aws_kinesis_stream",),
    rationale="Streams retain records (audio chunks, events) for up to a year, and encryption_type defaults "
    "to NONE. Records are transient, so the AWS-managed alias/aws/kinesis key is accepted.",
    remediation='Set encryption_type = "KMS" and kms_key_id = aws_kms_key.<name>.arn (or "alias/aws/kinesis").',
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",
)
