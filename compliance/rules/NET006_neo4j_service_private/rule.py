"""Neo4j runs as an ECS service in private subnets without public IP addresses."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, unknown
from compliance.network import NEO4J_PORTS, placement_result, subnets_placement, targets
from compliance.values import blocks, truth


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


def runs_neo4j(service: Resource, model: Model) -> bool:
    """A neo4j image in the service's task definition, or a Neo4j port in it or in the service's
    load balancer blocks."""
    lb_ports = {block.get("container_port") for block in _blocks(service.values, "load_balancer")}
    if lb_ports & set(NEO4J_PORTS):
        return True
    for task in targets(service.values.get("task_definition"), model, "aws_ecs_task_definition"):
        for container in _containers(task.values.get("container_definitions")):
            image = container.get("image")
            if isinstance(image, str) and image.rsplit("/", 1)[-1].startswith("neo4j"):
                return True
            ports = {m.get("containerPort") for m in _blocks(container, "portMappings")}
            if ports & set(NEO4J_PORTS):
                return True
    return False


def _containers(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, Mapping))


def _blocks(values: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    found = blocks(values, name)
    return [] if isinstance(found, Unknown) else found


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
