"""S3 data buckets log server access (aws_s3_bucket_logging, or the legacy inline logging block).

Log buckets are spared: a bucket an SSE-S3-only log service writes into (ALB/ELB, S3 server access,
CloudFront logs) would otherwise need a log bucket of its own, without end; so is a bucket the policy
configuration marks as holding no data.
"""

from __future__ import annotations

from compliance.analysis.buckets import non_data_reason
from compliance.analysis.references import companions
from compliance.analysis.results import verdict
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, passed
from compliance.rules.ENC008_s3_data_bucket_kms.log_delivery import log_delivery_service

LOGGING = "aws_s3_bucket_logging"


def check(resource: Resource, model: Model) -> Result:
    spared = non_data_reason(resource, model)
    if spared:
        return passed(spared)
    service = log_delivery_service(resource, model)
    if service:
        return passed(f"a log bucket ({service} write into it)")
    doubts: list[str] = []
    for logging, named in companions(resource, model, LOGGING, "bucket", keys=("bucket",)):
        if named is None:
            doubts.append(f"{logging.address} may log this bucket, but its bucket is not known before apply")
        elif logging.values.get("target_bucket") is not None:
            return passed(f"{logging.address} delivers access logs")
    inline = blocks(resource.values, "logging")
    if isinstance(inline, Unknown):
        doubts.append("the logging block is not known before apply")
    elif any(block.get("target_bucket") is not None for block in inline):
        return passed("the logging block delivers access logs")
    problems = [] if doubts else [f"data bucket without server access logging (no {LOGGING} names it)"]
    return verdict(problems, doubts, "server access is logged")


RULE = Rule(
    id="LOG008",
    title="S3 data bucket logs server access",
    severity=Severity.MEDIUM,
    types=("aws_s3_bucket",),
    rationale=(
        "Server access logs record every request to the bucket's objects (who, which key, when, from "
        "where): the audit trail of access to stored health data. CloudTrail records object-level access "
        "only when data events are enabled, and S3 keeps no access record on its own."
    ),
    remediation="Add aws_s3_bucket_logging { bucket = <bucket>.id, target_bucket = <log bucket>.id, "
    'target_prefix = "<bucket>/" } for each data bucket.',
    controls={"HIPAA": ("164.312(b)",), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
)
