"""Application load balancers write access logs."""

from __future__ import annotations

from compliance.analysis.values import get, is_set, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result | None:
    kind = resource.values.get("load_balancer_type")
    if isinstance(kind, str) and kind not in ("", "application"):
        return None  # network/gateway load balancers log differently (TLS listeners only, or not at all)
    if isinstance(kind, Unknown) and not kind.refs and "load_balancer_type" in resource.values:
        return unknown("load_balancer_type is not known before apply")
    enabled = truth(get(resource.values, "access_logs.enabled"))
    if enabled is Status.FAIL:
        return failed("access_logs.enabled is not true: requests to the API are not recorded")
    if enabled is Status.UNKNOWN:  # the provider also blanks bucket in the plan then
        return unknown("access_logs.enabled is not known before apply")
    bucket = is_set(get(resource.values, "access_logs.bucket"))
    if bucket is Status.FAIL:
        return failed("access_logs.bucket is unset")
    if bucket is Status.UNKNOWN:
        return unknown("access_logs.bucket is not known before apply")
    return passed("access_logs is enabled")


RULE = Rule(
    id="LOG007",
    title="Application load balancers write access logs",
    severity=Severity.LOW,
    types=("aws_lb", "aws_alb"),
    rationale=(
        "ALB access logs record every request to the API (client address, path, status), the outer layer "
        "of the audit trail when investigating access to PHI."
    ),
    remediation="Add access_logs { bucket = <log bucket>.id, enabled = true } (the bucket needs the "
    "ELB log delivery policy).",
    controls={"HIPAA": ("164.312(b)",), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
)
