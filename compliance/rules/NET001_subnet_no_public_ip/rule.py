"""Subnets do not give instances public IP addresses on launch, IPv4 or IPv6."""

from __future__ import annotations

from typing import Any

from compliance.analysis.placement import Placement, subnet_placement
from compliance.analysis.results import switched_off, worst
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

# Arguments that give launched interfaces IPv6 addresses (every AWS IPv6 address is globally routable).
IPV6_KEYS = (
    "assign_ipv6_address_on_creation",
    "ipv6_native",
    "enable_resource_name_dns_aaaa_record_on_launch",
)


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("map_public_ip_on_launch")
    if value is None and resource.type == "aws_default_subnet":
        # Default subnets are created with the flag on; leaving it unset adopts it.
        return failed("map_public_ip_on_launch is unset on a default subnet, which AWS creates as true")
    ipv4 = switched_off(value, "map_public_ip_on_launch")
    ipv6 = _ipv6(resource, model)
    return ipv4 if ipv6 is None else worst((ipv4, ipv6))


def _ipv6(resource: Resource, model: Model) -> Result | None:
    """A subnet assigning IPv6 addresses is public when it routes IPv6 to an internet gateway."""
    flags = [(key, resource.values.get(key)) for key in IPV6_KEYS]
    on = [key for key, flag in flags if _true(flag)]
    maybe = [key for key, flag in flags if isinstance(flag, Unknown)]
    if not on and not maybe:
        return None
    placement = subnet_placement(resource, model, ipv6=True)
    if placement is Placement.PRIVATE:
        return passed("IPv6 is not routed to an internet gateway (an egress-only gateway is private)")
    if on and placement is Placement.PUBLIC:
        return failed(
            f"{on[0]} gives instances IPv6 addresses and the route table sends IPv6 to an internet gateway: "
            "they are reachable from the internet even with map_public_ip_on_launch = false"
        )
    flag = on[0] if on else maybe[0]
    return unknown(f"{flag} with an IPv6 route to an internet gateway not known before apply")


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


RULE = Rule(
    id="NET001",
    title="Subnet does not assign public IP addresses on launch",
    severity=Severity.MEDIUM,
    types=("aws_subnet", "aws_default_subnet"),
    rationale="A public address on every launched interface makes tasks and instances reachable from the "
    "internet as soon as a route and a security group allow it. Every IPv6 address AWS assigns is public: "
    "a subnet that assigns them and routes ::/0 to an internet gateway is public whatever "
    "map_public_ip_on_launch says; an egress-only internet gateway keeps it outbound only.",
    remediation="Set map_public_ip_on_launch = false (explicitly on aws_default_subnet); route IPv6 through "
    "an egress-only internet gateway (aws_egress_only_internet_gateway); put internet-facing entry points "
    "behind a load balancer.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html",
)
