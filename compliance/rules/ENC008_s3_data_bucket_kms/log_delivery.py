"""ENC008's exemption: which log-delivery service writes into a bucket. Those services (ALB and classic ELB
access logs, S3 server access logs, CloudFront standard logs) support only SSE-S3, so their target bucket
cannot use a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis.references import linked
from compliance.model import Model, Resource, Unknown

# Services that deliver logs into a bucket and support only SSE-S3 there: ALB and classic ELB access
# logs, S3 server access logs, CloudFront standard logs. NLB, VPC flow logs and CloudTrail accept KMS.
LOG_DELIVERY_PRINCIPALS = {
    "logdelivery.elasticloadbalancing.amazonaws.com": "ELB access logs",
    "logging.s3.amazonaws.com": "S3 server access logs",
}
# The ELB account of each region that predates the log-delivery service principal (ca-central-1 among
# them): a bucket policy granting one of these receives ELB access logs.
ELB_LOG_ACCOUNTS = frozenset(
    {
        "127311923021", "033677994240", "027434742980", "797873946194", "985666609251", "156460612806",
        "054676820928", "652711504416", "009996457667", "897822967062", "114774131450", "783225319266",
        "582318560864", "600734575887", "383597477331", "718504428378", "507241528517", "098369216593",
        "754344448648", "635631232127", "076674570225", "048591011584", "190560391635", "638102146993",
        "037604701340",
    }
)  # fmt: skip
_LOG_WIRING = (
    (("aws_lb", "aws_alb"), "access_logs.bucket", "ALB access logs"),
    (("aws_elb",), "access_logs.bucket", "classic ELB access logs"),
    (("aws_s3_bucket_logging",), "target_bucket", "S3 server access logs"),
    (("aws_s3_bucket",), "logging.target_bucket", "S3 server access logs"),
    (("aws_cloudfront_distribution",), "logging_config.bucket", "CloudFront standard logs"),
)


def log_delivery_service(bucket: Resource, model: Model) -> str | None:
    """The SSE-S3-only service that delivers logs into this bucket ('' for a data bucket, None when
    that cannot be told before apply): the bucket is wired as its log target, or its bucket policy grants
    that service's delivery principal."""
    name = bucket.values.get("bucket")
    names = (name, f"{name}.s3.amazonaws.com")  # CloudFront names a bucket by its domain
    undetermined = False
    for types, attribute, service in _LOG_WIRING:
        wired, maybe = linked(bucket, model, types, attribute, names)
        if any(_application_or_classic(other) for other in wired):
            return service
        undetermined = undetermined or maybe
    policies, maybe = linked(bucket, model, ("aws_s3_bucket_policy",), "bucket", (name,))
    undetermined = undetermined or maybe
    for policy in policies:
        opaque: list[Unknown] = []
        service = _log_principal(policy.values.get("policy"), model, opaque)
        if service:
            return service
        undetermined = undetermined or bool(opaque)
    return None if undetermined else ""


def _application_or_classic(resource: Resource) -> bool:
    """Network load balancers write access logs to KMS-encrypted buckets: only ALBs are exempt."""
    if resource.type not in ("aws_lb", "aws_alb"):
        return True
    return resource.values.get("load_balancer_type") in (None, "application")


def _log_principal(policy: Any, model: Model, opaque: list[Unknown]) -> str:
    """The log-delivery service a policy grants; unknown parts it could not read go to `opaque`."""
    for text in _policy_strings(policy, model, opaque):
        for principal, service in LOG_DELIVERY_PRINCIPALS.items():
            if principal in text:
                return service
        if text in ELB_LOG_ACCOUNTS or any(f"::{account}:" in text for account in ELB_LOG_ACCOUNTS):
            return "ELB access logs"
    return ""


def _policy_strings(value: Any, model: Model, opaque: list[Unknown]) -> Iterator[str]:
    """Every string of a policy given as JSON text, as a decoded structure, or as a reference to a
    policy document (or ELB service account) data source."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Unknown):
        readable = False
        for ref in value.refs:
            for found in model.resolve(ref):
                if found.type == "aws_elb_service_account":
                    readable = True
                    yield from ELB_LOG_ACCOUNTS
                elif found.type == "aws_iam_policy_document":
                    readable = True
                    yield from _policy_strings(found.values, model, opaque)
        if not readable:
            opaque.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _policy_strings(item, model, opaque)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _policy_strings(item, model, opaque)
