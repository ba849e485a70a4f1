"""ECS task definitions pass secrets through `secrets` (valueFrom), never as plain environment values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.secret_values import looks_secret_name, secret_ref, secret_value_kind
from compliance.analysis.transit import containers
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _problem(entry: Mapping[str, Any]) -> str | None:
    name, value = entry.get("name"), entry.get("value")
    label = name if isinstance(name, str) else "an entry"
    if value is None or value == "":
        return None
    if isinstance(name, str) and looks_secret_name(name):
        return f"environment {label} looks like a secret"
    if (kind := secret_value_kind(value)) is not None:
        return f"environment {label} holds {kind}"
    if (ref := secret_ref(value)) is not None:
        return f"environment {label} is taken from {ref}"
    return None


def check(resource: Resource, model: Model) -> Result:
    found = containers(resource.values.get("container_definitions"))
    if isinstance(found, Unknown):
        return unknown("container_definitions is not known before apply")
    if found is None:
        return unknown("container_definitions is not a JSON list of containers")
    problems: list[str] = []
    doubtful = False
    for container in found:
        environment = container.get("environment") or []
        if isinstance(environment, Unknown):
            doubtful = True
            continue
        where = container.get("name") if isinstance(container.get("name"), str) else "a container"
        problems.extend(f"{where}: {p}" for e in environment if isinstance(e, Mapping) if (p := _problem(e)))
        doubtful |= any(isinstance(e, Unknown) or isinstance(e.get("name"), Unknown) for e in environment)
    if problems:
        return failed("; ".join(problems) + " (use secrets with valueFrom)")
    if doubtful:
        return unknown("an environment entry is not known before apply")
    return passed("no secret-looking plain environment value")


RULE = Rule(
    id="SEC002",
    title="ECS task definitions keep secrets out of plain environment values",
    severity=Severity.HIGH,
    types=("aws_ecs_task_definition",),
    rationale=(
        "Environment values are stored in the task definition: readable by anyone with "
        "ecs:DescribeTaskDefinition, in the plan, in state and in every revision forever. The secrets "
        "block with valueFrom injects a Secrets Manager or SSM value at start instead."
    ),
    remediation='Move the value into Secrets Manager and reference it: secrets = [{ name = "DB_PASSWORD", '
    "valueFrom = aws_secretsmanager_secret.db.arn }] (the execution role needs GetSecretValue on it).",
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data-secrets.html",
)
