"""No security group admits the internet, except web ports on an internet-facing load balancer."""

from __future__ import annotations

from compliance.analysis.ingress import (
    Ingress,
    attachments,
    describe_partial,
    describe_ports,
    ingress_of,
    is_world,
    network_of,
    never_world,
    security_group_of,
)
from compliance.analysis.results import first_worst
from compliance.analysis.values import truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown

WEB_PORTS = ((80, 80), (443, 443))
TCP = {"tcp", "6"}


LB_TYPES = ("aws_lb", "aws_alb", "aws_elb")


def check(resource: Resource, model: Model) -> Result | None:
    permissions = ingress_of(resource)
    if isinstance(permissions, Unknown):
        return unknown("ingress rules are not known before apply")
    if resource.type == "aws_security_group_rule" and not permissions:
        return None  # an egress rule
    chosen = first_worst(_judge(permission, resource, model) for permission in permissions)
    return passed("no ingress from the internet") if chosen is None else chosen


def _judge(permission: Ingress, resource: Resource, model: Model) -> Result | None:
    """None when the permission admits no internet-wide source."""
    world = [c for c in permission.cidrs if (n := network_of(c)) is not None and is_world(n)]
    if not world:
        unread = [c for c in permission.cidrs if network_of(c) is None]
        if any(not never_world(c, permission.version(c)) for c in unread):
            return unknown("an ingress source CIDR is not known before apply")
        if unread:
            shown = ", ".join(describe_partial(c) for c in unread)
            return passed(
                f"no ingress from the internet ({shown} known in part: no value makes it the internet)"
            )
        return None
    opened = f"ingress from {', '.join(world)} on {describe_ports(permission)}"
    if isinstance(permission.ports, Unknown):
        return unknown(opened)  # perhaps only a web port, perhaps every port
    web = str(permission.protocol).lower() in TCP and permission.ports in WEB_PORTS
    if not web:
        return failed(opened)
    return _load_balancer_only(opened, resource, model)


def _load_balancer_only(opened: str, resource: Resource, model: Model) -> Result:
    """The web-port exception: the group is attached to internet-facing load balancers and nothing else."""
    groups = security_group_of(resource, model)
    if not groups:
        return unknown(f"{opened}: the security group is not in this configuration")
    for group in groups:
        users = attachments(group, model)
        if not users:
            return failed(f"{opened}, and {group.address} is attached to no load balancer here")
        others = [u.address for u in users if u.type not in LB_TYPES]
        if others:
            return failed(f"{opened} on a group also attached to {others[0]}")
        for lb in users:
            internal = lb.values.get("internal")  # unset: AWS makes the load balancer internet-facing
            if isinstance(internal, Unknown):
                return unknown(f"{opened}: whether {lb.address} is internal is not known before apply")
            if truth(internal) is Status.PASS:
                return failed(f"{opened} to internal load balancer {lb.address}")
    names = ", ".join(u.address for g in groups for u in attachments(g, model))
    return passed(f"{opened}: allowed, only to internet-facing load balancer {names}")


RULE = Rule(
    id="NET010",
    title="Security group admits no internet traffic except web ports to a public load balancer",
    severity=Severity.CRITICAL,
    types=("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"),
    rationale="Ingress from 0.0.0.0/0, ::/0 or any internet-wide range exposes whatever the group guards. "
    "The only accepted entry point is TCP 80/443 on a security group used solely by internet-facing load "
    "balancers, which terminate TLS in front of the PHI-processing services.",
    remediation="Remove world-open ingress (IPv4 and IPv6, inline and separate rules). Publish services "
    "through an internet-facing load balancer whose own group alone admits TCP 80/443.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)
