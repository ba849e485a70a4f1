"""Every AWS provider configuration is in a Canadian region (or is a documented us-east-1 exception)."""

from __future__ import annotations

from compliance.analysis.residency import GLOBAL_SERVICE_REGION, allowed_reason, region_result
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed


def check(resource: Resource, model: Model) -> Result | None:
    if resource.name != "aws" or _proxy(resource):
        return None
    region = resource.region
    if region is None:
        return failed(
            "region is unset: it would come from AWS_REGION or the profile at run time, which this "
            "configuration does not pin to Canada"
        )
    result = region_result(region, "region", model.settings.allowed_regions)
    if (
        result.status is not Status.FAIL
        or region != GLOBAL_SERVICE_REGION
        or not resource.values.get("alias")
    ):
        return result
    return _global_service_exception(resource, model)


def _proxy(resource: Resource) -> bool:
    """`provider "aws" { alias = "x" }` in a child module: a slot the caller fills, judged there."""
    return bool(resource.module) and set(resource.values) <= {"alias"}


def _global_service_exception(provider: Resource, model: Model) -> Result:
    users = [r for r in model.resources if r.mode == "managed" and r.provider == provider.address]
    if not users:
        return failed(f"region is '{GLOBAL_SERVICE_REGION}' and no allow-listed resource uses it")
    reasons: dict[str, str] = {}
    for user in users:
        reason = allowed_reason(user, model)
        if reason is None:
            return failed(
                f"region is '{GLOBAL_SERVICE_REGION}', used by {user.address}, which is not allow-listed"
            )
        reasons.setdefault(user.type, reason)
    listed = "; ".join(f"{kind}: {reason}" for kind, reason in sorted(reasons.items()))
    return passed(f"allowed exception: region '{GLOBAL_SERVICE_REGION}' used only by {listed}")


RULE = Rule(
    id="RES001",
    title="AWS provider configurations deploy to Canadian regions",
    severity=Severity.CRITICAL,
    types=("provider",),
    rationale="Health information must be stored and processed in Canada (PIPEDA accountability for "
    "where data is processed). Every resource lands in its provider's region, so every AWS provider "
    "configuration, default and aliased, root and module, must name ca-central-1 or ca-west-1. A us-east-1 "
    "alias is accepted only for resources AWS requires there (CloudFront certificates, CLOUDFRONT-scope WAF).",
    remediation='Set region = "ca-central-1" (or "ca-west-1") in every provider "aws" block, through a '
    "validated variable if it varies; keep us-east-1 to an aliased provider used only by allow-listed "
    "resources (compliance/analysis/residency.py).",
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/general/latest/gr/rande.html",
)
