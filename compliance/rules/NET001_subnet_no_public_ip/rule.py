"""Subnets do not give instances public IP addresses on launch."""

from __future__ import annotations

from compliance.analysis.results import switched_off
from compliance.model import Model, Resource, Result, Rule, Severity, failed


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("map_public_ip_on_launch")
    if value is None and resource.type == "aws_default_subnet":
        # Default subnets are created with the flag on; leaving it unset adopts it.
        return failed("map_public_ip_on_launch is unset on a default subnet, which AWS creates as true")
    return switched_off(value, "map_public_ip_on_launch")


RULE = Rule(
    id="NET001",
    title="Subnet does not assign public IP addresses on launch",
    severity=Severity.MEDIUM,
    types=("aws_subnet", "aws_default_subnet"),
    rationale="A public address on every launched interface makes tasks and instances reachable from the "
    "internet as soon as a route and a security group allow it.",
    remediation="Set map_public_ip_on_launch = false (explicitly on aws_default_subnet); put internet-facing "
    "entry points behind a load balancer.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html",
)
