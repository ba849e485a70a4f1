"""Essential containers of a service's tasks declare a healthCheck, so ECS replaces a task that hangs.

Judged on the service: ECS acts on container health only for the tasks a service keeps running (a one-off
task such as a restore job exits when it is done).
"""

from __future__ import annotations

from compliance.analysis.references import targets
from compliance.analysis.transit import containers, label
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _containers_without_check(task: Resource) -> tuple[list[str], list[str]] | Unknown:
    found = containers(task.values.get("container_definitions"))
    if isinstance(found, Unknown):
        return found
    missing, doubtful = [], []
    for container in found or ():
        essential = container.get("essential", True)  # ECS's default
        check = container.get("healthCheck")
        if isinstance(essential, Unknown) or isinstance(check, Unknown):
            doubtful.append(label(container))
        elif essential is not False and not (isinstance(check, dict) and check.get("command")):
            missing.append(label(container))
    return missing, doubtful


def check(resource: Resource, model: Model) -> Result | None:
    definition = resource.values.get("task_definition")
    tasks = targets(definition, model, "aws_ecs_task_definition")
    if not tasks:
        return unknown("the task definition is not in the scanned configuration") if definition else None
    missing, doubtful = [], []
    for task in tasks:
        found = _containers_without_check(task)
        if isinstance(found, Unknown):
            return unknown(f"{task.address}: container_definitions is not known before apply")
        missing += found[0]
        doubtful += found[1]
    if missing:
        return failed(f"essential container without a healthCheck command: {', '.join(missing)}")
    if doubtful:
        return unknown(f"essential or healthCheck not known before apply: {', '.join(doubtful)}")
    return passed("every essential container of its tasks has a healthCheck")


RULE = Rule(
    id="REL001",
    title="Essential containers of ECS services declare a health check",
    severity=Severity.MEDIUM,
    types=("aws_ecs_service",),
    rationale="Without a container healthCheck ECS only notices a process that exits; a hung API or Neo4j "
    "keeps its task, and health data becomes unavailable until someone restarts it.",
    remediation='Add healthCheck = { command = ["CMD-SHELL", "..."], interval, timeout, retries, '
    "startPeriod } to every essential container of the service's task definition.",
    controls={"HIPAA": ("164.308(a)(7)(ii)(B)",), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
)
