"""Canadian data residency: the allowed regions, and the documented us-east-1 allow-list.

PIPEDA 4.1.3 keeps us accountable for personal information wherever it is processed; our commitment to
customers is that health data is stored and processed in Canada only. Every AWS provider configuration
therefore names ca-central-1 (Montreal) or ca-west-1 (Calgary), and so does every replica, backup copy
and replication destination.

AWS itself requires a few resources in us-east-1, whatever region the workload runs in. An *aliased*
provider in us-east-1 is accepted when every managed resource that uses it is on the allow-list below;
each entry says why it holds no personal information. The default provider is never excepted: it is
where any new resource lands. aws_cloudfront_distribution is deliberately not listed: it caches
responses, possibly health data, at edge locations worldwide, which needs its own reviewed waiver.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from compliance.analysis.references import references, targets
from compliance.analysis.results import first_worst
from compliance.analysis.values import get
from compliance.model import CANADA, Model, Resource, Result, Status, Unknown, failed, passed, unknown

# The default policy; a configuration may allow other regions (Settings.allowed_regions, which rules
# pass in from model.settings).
CANADIAN_REGIONS = CANADA
GLOBAL_SERVICE_REGION = "us-east-1"
_ARN = re.compile(r"^arn:[^:]+:[^:]+:(?P<region>[^:]*):")


@dataclass(frozen=True, slots=True)
class Allowed:
    """One allow-list entry: which resources it covers, and why they may live in us-east-1."""

    types: tuple[str, ...]
    reason: str
    applies: Callable[[Resource, Model], bool] = lambda resource, model: True


def region_status(region: Any, allowed: Collection[str] = CANADA) -> Status:
    """PASS for an allowed region, FAIL for any other or none, UNKNOWN when not known."""
    if isinstance(region, Unknown):
        return Status.UNKNOWN
    return Status.PASS if region in allowed else Status.FAIL


def region_result(region: Any, what: str, allowed: Collection[str] = CANADA) -> Result:
    """The finding for one region, e.g. what="replica[0].region_name"."""
    status = region_status(region, allowed)
    if isinstance(region, Unknown):
        return unknown(f"{what} is not known ({region.reason or 'known after apply'})")
    if status is Status.FAIL:
        shown = "unset" if region is None else repr(region)
        return failed(f"{what} is {shown}, outside {allowed_regions_text(allowed)}")
    return passed(f"{what} is {region!r}")


def allowed_regions_text(allowed: Collection[str]) -> str:
    """ "Canada (ca-central-1, ca-west-1)" for the default policy, else the configured regions."""
    names = ", ".join(sorted(allowed))
    return f"Canada ({names})" if frozenset(allowed) == CANADA else f"the allowed regions ({names})"


def resource_region(resource: Resource) -> Any:
    """Where a resource lives: its own `region` argument (AWS provider 6) when the configuration sets
    one, known or not, else its provider's region."""
    own = resource.values.get("region")
    return own if isinstance(own, str | Unknown) else resource.region


def arn_region(arn: Any) -> str | Unknown | None:
    """The region field of a literal ARN ("" for global services such as S3: None); Unknown otherwise."""
    if not isinstance(arn, str):
        return arn if isinstance(arn, Unknown) else Unknown(reason="not an ARN")
    match = _ARN.match(arn)
    if match is None:
        return Unknown(reason="not an ARN")
    return match.group("region") or None


def destination_region(value: Any, model: Model, *types: str) -> tuple[str | Unknown | None, str]:
    """Where a destination (a literal ARN or a reference to a resource of `types`) lives, and what
    showed it: the ARN's region field, or the region of the referenced resource's provider."""
    found = targets(value, model, *types)
    if found:
        regions = {
            str(resource_region(r)) if not isinstance(resource_region(r), Unknown) else "?" for r in found
        }
        first = found[0]
        if len(regions) > 1:
            return Unknown(reason="instances in several regions"), first.address
        return resource_region(first), f"{first.address} ({first.provider})"
    if isinstance(value, str) and value.startswith("arn:"):
        region = arn_region(value)
        return (region if region is not None else Unknown(reason="the ARN names no region")), repr(value)
    return Unknown(reason="not a resource of this configuration"), "(computed)"


# ---------------------------------------------------------------- the us-east-1 allow-list


def _cloudfront_certificates(model: Model) -> set[str]:
    """Addresses of ACM certificates that CloudFront distributions use (directly or via validation)."""
    found: set[str] = set()
    for distribution in model.of_type("aws_cloudfront_distribution"):
        arn = get(distribution.values, "viewer_certificate.acm_certificate_arn")
        for target in targets(arn, model, "aws_acm_certificate", "aws_acm_certificate_validation"):
            if target.type == "aws_acm_certificate":
                found.add(target.address)
            else:
                cert = target.values.get("certificate_arn")
                found.update(r.address for r in targets(cert, model, "aws_acm_certificate"))
    return found


def _certificate_for_cloudfront(resource: Resource, model: Model) -> bool:
    return resource.address in _cloudfront_certificates(model)


def _validation_for_cloudfront(resource: Resource, model: Model) -> bool:
    certs = _cloudfront_certificates(model)
    value = resource.values.get("certificate_arn")
    return any(
        references(value, cert, model)
        for cert in model.of_type("aws_acm_certificate")
        if cert.address in certs
    )


def _cloudfront_scope(resource: Resource, model: Model) -> bool:
    return resource.values.get("scope") == "CLOUDFRONT"


ALLOW_LIST: tuple[Allowed, ...] = (
    Allowed(
        ("aws_acm_certificate",),
        "CloudFront accepts only ACM certificates issued in us-east-1; a certificate holds a public key "
        "and domain names, no personal information",
        _certificate_for_cloudfront,
    ),
    Allowed(
        ("aws_acm_certificate_validation",),
        "waits for that us-east-1 certificate to be issued; it stores nothing",
        _validation_for_cloudfront,
    ),
    Allowed(
        ("aws_wafv2_web_acl", "aws_wafv2_ip_set", "aws_wafv2_regex_pattern_set", "aws_wafv2_rule_group"),
        "WAF objects for CloudFront (scope CLOUDFRONT) must be created in us-east-1; they hold rules and "
        "address lists, no personal information (their logging destinations are judged on their own)",
        _cloudfront_scope,
    ),
    Allowed(
        (
            "aws_cloudfront_cache_policy",
            "aws_cloudfront_origin_request_policy",
            "aws_cloudfront_response_headers_policy",
            "aws_cloudfront_origin_access_control",
            "aws_cloudfront_function",
        ),
        "CloudFront is a global service managed through us-east-1; these objects are configuration, "
        "no personal information",
    ),
)


def allowed_reason(resource: Resource, model: Model) -> str | None:
    """Why `resource` may use a us-east-1 provider, or None when it may not."""
    for entry in ALLOW_LIST:
        if resource.type in entry.types and entry.applies(resource, model):
            return entry.reason
    return None


# ---------------------------------------------------------------- destinations


def regions_result(
    found: list[tuple[Any, str]], none: str = "", allowed: Collection[str] = CANADA
) -> Result | None:
    """One finding over several (region, what) pairs: the first outside the allowed regions, else the
    first unknown, else a pass naming them all. None when there is nothing to judge (and `none` is empty)."""
    if not found:
        return passed(none) if none else None
    results = [region_result(region, what, allowed) for region, what in found]
    chosen = first_worst(results)
    if chosen is not None and chosen.status is not Status.PASS:
        return chosen
    return passed("; ".join(result.message for result in results))


def s3_bucket_region(value: Any, model: Model) -> tuple[Any, str]:
    """Region of a replication destination bucket: a referenced aws_s3_bucket, or a literal ARN naming a
    bucket of this configuration. S3 ARNs carry no region, so other literal ARNs are unknown."""
    if isinstance(value, str) and value.startswith("arn:") and ":::" in value:
        name = value.rsplit(":::", 1)[1]
        buckets = [b for b in model.of_type("aws_s3_bucket") if b.values.get("bucket") == name]
        if len(buckets) != 1:
            return Unknown(reason="an S3 ARN names no region"), f"the region of destination bucket {value!r}"
        value = Unknown(refs=(buckets[0].address,), reason="named by its ARN")
    region, where = destination_region(value, model, "aws_s3_bucket")
    return region, f"the region of destination bucket {where}"
