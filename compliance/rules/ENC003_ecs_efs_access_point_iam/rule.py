"""ECS tasks that mount EFS through an access point authenticate with their task role (IAM)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.results import combine
from compliance.analysis.storage import efs_volumes
from compliance.analysis.values import describe, get, is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _iam(label: str, config: Mapping[str, Any] | Unknown) -> Result | None:
    if isinstance(config, Unknown):
        return Result(Status.UNKNOWN, f"{label}: efs_volume_configuration is not known before apply")
    access_point = get(config, "authorization_config.access_point_id")
    if is_set(access_point) is Status.FAIL:
        return None
    iam = get(config, "authorization_config.iam")
    if isinstance(iam, Unknown) or is_set(access_point) is Status.UNKNOWN:
        return Result(Status.UNKNOWN, f"{label}: authorization_config is not known before apply")
    if iam == "ENABLED":
        return Result(Status.PASS, f"{label}: access point with authorization_config.iam 'ENABLED'")
    return Result(Status.FAIL, f"{label}: access point with authorization_config.iam {describe(iam)}")


def check(resource: Resource, model: Model) -> Result | None:
    results = (_iam(label, config) for label, config in efs_volumes(resource))
    return combine(result for result in results if result is not None)


RULE = Rule(
    id="ENC003",
    title="ECS task definition authorizes EFS access point mounts with IAM",
    severity=Severity.MEDIUM,
    types=("aws_ecs_task_definition",),
    rationale="An access point confines a task to one directory, but only IAM authorization makes EFS check "
    "the task role against the file system policy; without it any client that reaches the mount target "
    "can mount the access point.",
    remediation='Set authorization_config { access_point_id = ..., iam = "ENABLED" } (it requires '
    'transit_encryption = "ENABLED") and grant the task role elasticfilesystem:ClientMount.',
    controls={"HIPAA": ("164.312(a)(1)", "164.312(d)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
)
