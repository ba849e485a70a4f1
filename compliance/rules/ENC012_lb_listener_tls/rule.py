"""ALB and NLB listeners encrypt client traffic with TLS 1.2+; plain HTTP only redirects to HTTPS.

Decisions: HTTPS and TLS listeners need a predefined policy whose floor is TLS 1.2 (unset means the API
default ELBSecurityPolicy-2016-08, which accepts TLS 1.0). An HTTP listener passes only when its default
action and every listener rule attached to it redirect to HTTPS. A TCP/UDP pass-through cannot show
encryption: on a port registered for a TLS protocol (443, 8443, 636...) it is UNKNOWN (the targets may
terminate TLS; waive it with that evidence), on any other port it fails. Gateway Load Balancer (GENEVE)
listeners tunnel packets unchanged and are out of scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.references import linked
from compliance.analysis.results import combine
from compliance.analysis.tls import pass_through, tls_policy
from compliance.analysis.values import blocks, describe, get
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown

LISTENER_RULES = ("aws_lb_listener_rule", "aws_alb_listener_rule")


def _balancer_type(listener: Resource, model: Model) -> Any:
    """'application', 'network', 'gateway', or None when the load balancer is not in the scan."""
    if listener.type == "aws_alb_listener":
        return "application"
    arn = listener.values.get("load_balancer_arn")
    for ref in arn.refs if isinstance(arn, Unknown) else ():
        for balancer in model.resolve(ref):
            if balancer.type in ("aws_lb", "aws_alb"):
                kind = balancer.values.get("load_balancer_type")
                return "application" if kind is None else kind
    return None


def _redirects_to_https(owner: str, actions: list[Mapping[str, Any]] | Unknown) -> Result:
    if isinstance(actions, Unknown):
        return Result(Status.UNKNOWN, f"{owner} actions are not known before apply")
    for action in actions:
        kind, protocol = action.get("type"), get(action, "redirect.protocol")
        if isinstance(kind, Unknown) or isinstance(protocol, Unknown):
            return Result(Status.UNKNOWN, f"{owner} action is not known before apply")
        if kind != "redirect" or protocol != "HTTPS":
            shown = f"redirect to {describe(protocol)}" if kind == "redirect" else describe(kind)
            return Result(Status.FAIL, f"{owner} serves plain HTTP: action {shown}")
    return Result(Status.PASS, f"{owner} redirects HTTP to HTTPS")


def _http(listener: Resource, model: Model) -> Result | None:
    results = [_redirects_to_https("default_action", blocks(listener.values, "default_action"))]
    rules, maybe = linked(listener, model, LISTENER_RULES, "listener_arn")
    results += [
        _redirects_to_https(f"listener rule {rule.address}", blocks(rule.values, "action")) for rule in rules
    ]
    if maybe:
        results.append(
            Result(Status.UNKNOWN, "a listener rule with an unknown listener_arn may forward HTTP")
        )
    return combine(results)


def check(resource: Resource, model: Model) -> Result | None:
    protocol = resource.values.get("protocol")
    balancer = _balancer_type(resource, model)
    if isinstance(protocol, Unknown):
        return Result(Status.UNKNOWN, "protocol is not known before apply")
    if protocol == "GENEVE" or (not protocol and balancer == "gateway"):
        return None
    if not protocol and balancer is None:
        return Result(Status.UNKNOWN, "protocol is unset and the load balancer is not in the scan")
    protocol = protocol or "HTTP"
    if protocol in ("HTTPS", "TLS"):
        policy = tls_policy(resource.values.get("ssl_policy"), "ssl_policy", "ELBSecurityPolicy-2016-08")
        return Result(policy.status, f"protocol {protocol!r}; {policy.message}")
    if protocol == "HTTP":
        return _http(resource, model)
    return pass_through(str(protocol), resource.values.get("port"))


RULE = Rule(
    id="ENC012",
    title="Load balancer listener encrypts traffic with TLS 1.2 or later",
    severity=Severity.HIGH,
    types=("aws_lb_listener", "aws_alb_listener"),
    rationale="Clinicians' browsers and API clients send notes to the load balancer. Plain HTTP, or a TLS "
    "policy that still accepts TLS 1.0/1.1, exposes them on the network; the API default policy "
    "ELBSecurityPolicy-2016-08 does.",
    remediation='Use protocol = "HTTPS" (or "TLS") with ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"; '
    "keep port 80 only as a redirect to HTTPS, with no listener rule that forwards.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
)
