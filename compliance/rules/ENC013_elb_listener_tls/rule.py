"""Classic ELB listeners encrypt client traffic with TLS 1.2+.

A classic ELB cannot redirect, so an HTTP listener always serves plain HTTP and fails. HTTPS/SSL listeners
need an SSL negotiation policy on their port whose floor is TLS 1.2: without one the ELB applies
ELBSecurityPolicy-2016-08, which accepts TLS 1.0. TCP listeners follow ENC012's pass-through decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.results import combine, worst
from compliance.analysis.tls import pass_through, tls_policy
from compliance.analysis.values import blocks, describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown
from compliance.rules.ENC013_elb_listener_tls.negotiation import classic_negotiation

LEGACY_PROTOCOLS = ("Protocol-SSLv2", "Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1")


def _negotiation(where: str, attributes: Mapping[str, Any]) -> Result:
    if "Reference-Security-Policy" in attributes:
        policy = tls_policy(attributes["Reference-Security-Policy"], "Reference-Security-Policy", "")
        return Result(policy.status, f"{where}: {policy.message}")
    enabled = {name for name, value in attributes.items() if str(value).lower() == "true"}
    legacy = sorted(enabled.intersection(LEGACY_PROTOCOLS))
    if legacy:
        return Result(Status.FAIL, f"{where} enables {', '.join(legacy)}")
    if "Protocol-TLSv1.2" in enabled:
        return Result(Status.PASS, f"{where} allows only Protocol-TLSv1.2")
    return Result(Status.FAIL, f"{where} does not enable Protocol-TLSv1.2")


def _listener(elb: Resource, listener: Mapping[str, Any], model: Model) -> Result:
    protocol, port = listener.get("lb_protocol"), listener.get("lb_port")
    if isinstance(protocol, Unknown):
        return Result(Status.UNKNOWN, f"listener {describe(port)}: lb_protocol is not known before apply")
    kind = str(protocol).lower()
    if kind in ("https", "ssl"):
        policies = classic_negotiation(elb, port, model)
        if not policies:
            return Result(
                Status.FAIL,
                f"listener {port}/{kind}: no SSL negotiation policy, so "
                "ELBSecurityPolicy-2016-08 (TLS 1.0) applies",
            )
        return worst([_negotiation(f"listener {port}/{kind}: {where}", attrs) for where, attrs in policies])
    if kind == "tcp":
        return pass_through(kind, port)
    return Result(
        Status.FAIL,
        f"listener {describe(port)}: lb_protocol {describe(protocol)} is cleartext "
        "(a classic ELB cannot redirect to HTTPS)",
    )


def check(resource: Resource, model: Model) -> Result | None:
    listeners = blocks(resource.values, "listener")
    if isinstance(listeners, Unknown):
        return Result(Status.UNKNOWN, "listener is not known before apply")
    return combine(_listener(resource, listener, model) for listener in listeners)


RULE = Rule(
    id="ENC013",
    title="Classic load balancer listener encrypts traffic with TLS 1.2 or later",
    severity=Severity.HIGH,
    types=("aws_elb",),
    rationale="A classic ELB cannot redirect HTTP to HTTPS, so any http listener carries requests in "
    "cleartext; and its default negotiation policy ELBSecurityPolicy-2016-08 still accepts TLS 1.0.",
    remediation='Use lb_protocol = "https" (or "ssl") only, with an aws_lb_ssl_negotiation_policy (or '
    "aws_load_balancer_policy) on that port referencing ELBSecurityPolicy-TLS-1-2-2017-01; better, "
    "migrate to an ALB.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html",
)
