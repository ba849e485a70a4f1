"""S3 data buckets encrypt with a customer-managed KMS key.

A data bucket is every bucket except a log-delivery target of a service that can write only to SSE-S3
buckets (ALB and classic ELB access logs, S3 server access logs, CloudFront standard logs): the bucket
is wired as that service's log target, or its bucket policy grants that service's delivery principal;
and except a bucket the policy configuration marks as holding no data (compliance.config data_buckets).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.buckets import non_data_reason, sse_defaults
from compliance.analysis.kms import customer_managed_key
from compliance.analysis.results import worst
from compliance.analysis.values import describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown
from compliance.rules.ENC008_s3_data_bucket_kms.log_delivery import log_delivery_service


def _key(where: str, default: Mapping[str, Any], model: Model) -> Result:
    algorithm = default.get("sse_algorithm")
    if isinstance(algorithm, Unknown):
        return Result(Status.UNKNOWN, f"{where}: sse_algorithm is not known before apply")
    if algorithm not in ("aws:kms", "aws:kms:dsse"):
        return Result(Status.FAIL, f"{where}: sse_algorithm is {describe(algorithm)}, not aws:kms")
    key = customer_managed_key(default.get("kms_master_key_id"), "kms_master_key_id", model)
    return Result(key.status, f"{where}: sse_algorithm {describe(algorithm)}, {key.message}")


def check(resource: Resource, model: Model) -> Result | None:
    spared = non_data_reason(resource, model)
    if spared:
        return Result(Status.PASS, spared)
    service = log_delivery_service(resource, model)
    if service:
        return Result(Status.PASS, f"log-delivery target of {service}, which writes only with SSE-S3")
    defaults, maybe = sse_defaults(resource, model)
    if not defaults:
        if maybe:
            return Result(
                Status.UNKNOWN, "data bucket: an encryption configuration whose bucket is unknown may apply"
            )
        result = Result(
            Status.FAIL, "data bucket without an explicit encryption configuration (SSE-S3 by default)"
        )
    else:
        result = worst([_key(where, default, model) for where, default in defaults])
    if result.status is Status.FAIL and service is None:
        # SSE-S3 is right for a log target: with the bucket's policy or wiring unknown, so is the verdict.
        return Result(Status.UNKNOWN, f"{result.message}; whether it is a log-delivery target is not known")
    return result


RULE = Rule(
    id="ENC008",
    title="S3 data bucket encrypts objects with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_s3_bucket",),
    rationale="Buckets hold audio, notes and exports of health data. SSE-S3 and the AWS-managed aws/s3 key "
    "cannot be restricted by key policy, audited per use or revoked; a customer-managed key can. Log targets "
    "of services that support only SSE-S3 are exempt.",
    remediation='Set sse_algorithm = "aws:kms" (or "aws:kms:dsse") and kms_master_key_id = '
    "aws_kms_key.<name>.arn in the bucket's aws_s3_bucket_server_side_encryption_configuration.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
)
