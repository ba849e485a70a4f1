"""Neo4j runs as an ECS service in private subnets without public IP addresses."""

from __future__ import annotations

from compliance.analysis.placement import placement_result, subnets_placement
from compliance.analysis.values import blocks, truth
from compliance.analysis.workloads import runs_neo4j
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, unknown


def check(resource: Resource, model: Model) -> Result | None:
    if not runs_neo4j(resource, model):
        return None
    network = blocks(resource.values, "network_configuration")
    if isinstance(network, Unknown):
        return unknown("network_configuration of a Neo4j service is not known before apply")
    if not network:
        return unknown("Neo4j service without network_configuration: placement is the container instances'")
    public_ip = truth(network[0].get("assign_public_ip"))
    if public_ip is Status.PASS:
        return failed("Neo4j service has network_configuration.assign_public_ip = true")
    result = placement_result(
        subnets_placement(network[0].get("subnets"), model), "network_configuration.subnets"
    )
    if public_ip is Status.UNKNOWN and result.status is Status.PASS:
        return unknown("network_configuration.assign_public_ip of a Neo4j service is not known before apply")
    return result


RULE = Rule(
    id="NET006",
    title="Neo4j service runs in private subnets without public IP addresses",
    severity=Severity.CRITICAL,
    types=("aws_ecs_service",),
    rationale="Neo4j holds the clinical knowledge graph; its HTTP (7474) and Bolt (7687) endpoints must "
    "never be one security group rule away from the internet.",
    remediation="Run the Neo4j service with network_configuration.subnets in private subnets and "
    "assign_public_ip = false; reach it from the app through service discovery inside the VPC.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
)
