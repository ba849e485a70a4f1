"""Every S3 bucket states its default encryption in configuration, instead of relying on the S3 default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.buckets import SSE_ALGORITHMS, sse_defaults
from compliance.analysis.results import combine
from compliance.analysis.values import describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _algorithm(where: str, default: Mapping[str, Any]) -> Result:
    algorithm = default.get("sse_algorithm")
    if isinstance(algorithm, Unknown):
        return Result(Status.UNKNOWN, f"{where}: sse_algorithm is not known before apply")
    status = Status.PASS if algorithm in SSE_ALGORITHMS else Status.FAIL
    return Result(status, f"{where}: sse_algorithm is {describe(algorithm)}")


def check(resource: Resource, model: Model) -> Result | None:
    defaults, maybe = sse_defaults(resource, model)
    if not defaults:
        if maybe:
            return Result(Status.UNKNOWN, "an encryption configuration whose bucket is unknown may apply")
        return Result(Status.FAIL, "no aws_s3_bucket_server_side_encryption_configuration names this bucket")
    return combine(_algorithm(where, default) for where, default in defaults)


RULE = Rule(
    id="ENC007",
    title="S3 bucket has an explicit server-side encryption configuration",
    severity=Severity.MEDIUM,
    types=("aws_s3_bucket",),
    rationale="S3 encrypts new objects with SSE-S3 by default, but a default is not evidence: an explicit "
    "configuration is reviewed, versioned and checked here, and is where a customer-managed key is chosen.",
    remediation="Add an aws_s3_bucket_server_side_encryption_configuration with bucket = aws_s3_bucket.<name>.id "
    'and a rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" ... } }.',
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html",
)
