"""ECS task definitions mount EFS volumes over TLS: the NFS traffic carries the clinical graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.results import combine
from compliance.analysis.storage import efs_volumes
from compliance.analysis.values import describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _transit(label: str, config: Mapping[str, Any] | Unknown) -> Result:
    value = config if isinstance(config, Unknown) else config.get("transit_encryption")
    if isinstance(value, Unknown):
        return Result(Status.UNKNOWN, f"{label}: transit_encryption is not known before apply")
    if value == "ENABLED":
        return Result(Status.PASS, f"{label}: transit_encryption is 'ENABLED'")
    return Result(Status.FAIL, f"{label}: transit_encryption is {describe(value)} (default DISABLED)")


def check(resource: Resource, model: Model) -> Result | None:
    return combine(_transit(label, config) for label, config in efs_volumes(resource))


RULE = Rule(
    id="ENC002",
    title="ECS task definition mounts EFS volumes with encryption in transit",
    severity=Severity.HIGH,
    types=("aws_ecs_task_definition",),
    rationale="Without transit_encryption the NFS traffic between the task and EFS is cleartext; the "
    "Neo4j graph of clinical notes travels on it. The ECS default is DISABLED.",
    remediation='Set transit_encryption = "ENABLED" in every efs_volume_configuration block.',
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
)
