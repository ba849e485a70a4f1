"""What an ECS service runs, read from its task definition and load balancer blocks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis.references import targets
from compliance.analysis.values import blocks, decoded_json
from compliance.model import Model, Resource, Settings, Unknown

# Neo4j's HTTPS, HTTP and Bolt ports by default: reachable only from inside the VPC or from the app's
# group. A policy configuration may name others (model.settings.neo4j_ports).
NEO4J_PORTS = Settings().neo4j_ports


def runs_neo4j(service: Resource, model: Model) -> bool:
    """A neo4j image in the service's task definition, or a Neo4j port in it or in the service's
    load balancer blocks."""
    neo4j_ports = set(model.settings.neo4j_ports)
    lb_ports = {block.get("container_port") for block in _blocks(service.values, "load_balancer")}
    if lb_ports & neo4j_ports:
        return True
    for task in targets(service.values.get("task_definition"), model, "aws_ecs_task_definition"):
        for container in _containers(task.values.get("container_definitions")):
            image = container.get("image")
            if isinstance(image, str) and image.rsplit("/", 1)[-1].startswith("neo4j"):
                return True
            ports = {m.get("containerPort") for m in _blocks(container, "portMappings")}
            if ports & neo4j_ports:
                return True
    return False


def _containers(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, str):
        try:
            value = decoded_json(value)
        except ValueError:
            return
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, Mapping))


def _blocks(values: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    found = blocks(values, name)
    return [] if isinstance(found, Unknown) else found
