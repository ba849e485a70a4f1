"""ECS services run their tasks in private subnets."""

from __future__ import annotations

from compliance.analysis.placement import placement_result, subnets_placement
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    network = blocks(resource.values, "network_configuration")
    if isinstance(network, Unknown):
        return unknown("network_configuration is not known before apply")
    if not network:
        return None  # bridge/host networking: placement is the container instances'
    subnets = network[0].get("subnets")
    return placement_result(subnets_placement(subnets, model), "network_configuration.subnets")


RULE = Rule(
    id="NET003",
    title="ECS service runs its tasks in private subnets",
    severity=Severity.HIGH,
    types=("aws_ecs_service",),
    rationale="Tasks in a subnet routed to an internet gateway are one public IP or one security group "
    "rule away from the internet; private subnets keep PHI-processing containers behind the load balancer.",
    remediation="Give network_configuration.subnets only subnets whose route tables have no route to an "
    "internet gateway (use a NAT gateway or VPC endpoints for egress).",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",
)
