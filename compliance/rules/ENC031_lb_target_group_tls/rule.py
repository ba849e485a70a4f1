"""The hop from a load balancer to its targets is encrypted: target groups speak HTTPS or TLS.

Every target group is taken to carry PHI (the scanner cannot tell which service does, so it fails closed).
A TCP/UDP target group may pass TLS through to the task untouched, which the configuration does not show:
unknown. Lambda targets have no protocol (the invocation is AWS's own TLS API call); GENEVE is a gateway's
encapsulation of traffic it does not terminate: neither is judged.
"""

from __future__ import annotations

from compliance.analysis.values import describe
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

PASSTHROUGH = frozenset({"TCP", "UDP", "TCP_UDP"})


def check(resource: Resource, model: Model) -> Result | None:
    target_type = resource.values.get("target_type")
    protocol = resource.values.get("protocol")
    if target_type == "lambda" or protocol == "GENEVE":
        return None
    if isinstance(protocol, Unknown):
        return unknown("protocol is not known before apply")
    if protocol in ("HTTPS", "TLS"):
        return passed(f"protocol is {protocol}: the load balancer re-encrypts to the targets")
    if protocol in PASSTHROUGH:
        return unknown(f"protocol is {protocol}: TLS to the targets is not visible (passthrough?)")
    return failed(f"protocol is {describe(protocol)}: PHI reaches the tasks in plaintext inside the VPC")


RULE = Rule(
    id="ENC031",
    title="Load balancer target group encrypts traffic to its targets",
    severity=Severity.HIGH,
    types=("aws_lb_target_group", "aws_alb_target_group"),
    rationale="TLS that ends at the load balancer leaves requests, health data included, in plaintext on "
    "the VPC hop to the tasks; HIPAA asks for encryption of ePHI in transmission, inside the network too.",
    remediation='Set protocol = "HTTPS" (ALB) or "TLS" (NLB) and have the task serve a certificate on its '
    "container port (the load balancer does not validate it, so a private or self-signed one is enough).",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html",
)
