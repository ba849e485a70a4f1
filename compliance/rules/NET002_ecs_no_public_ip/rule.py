"""ECS services do not give their tasks public IP addresses."""

from __future__ import annotations

from compliance.analysis.results import switched_off
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    network = blocks(resource.values, "network_configuration")
    if isinstance(network, Unknown):
        return unknown("network_configuration is not known before apply")
    if not network:
        return None  # bridge/host networking: tasks use the instance's interfaces, not awsvpc ones
    return switched_off(network[0].get("assign_public_ip"), "network_configuration.assign_public_ip")


RULE = Rule(
    id="NET002",
    title="ECS service does not assign public IP addresses to its tasks",
    severity=Severity.HIGH,
    types=("aws_ecs_service",),
    rationale="A task with a public address in a routed subnet is reachable from the internet, bypassing "
    "the load balancer; PHI-processing containers must only be reached through it.",
    remediation="Set network_configuration.assign_public_ip = false and reach the internet through a NAT "
    "gateway or VPC endpoints.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
)
