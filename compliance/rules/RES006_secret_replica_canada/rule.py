"""Secrets Manager replicas are in Canada."""

from __future__ import annotations

from compliance.analysis.residency import regions_result
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    replicas = blocks(resource.values, "replica")
    if isinstance(replicas, Unknown):
        return unknown("replica is not known before apply")
    return regions_result(
        [(r.get("region"), f"replica[{i}].region") for i, r in enumerate(replicas)],
        allowed=model.settings.allowed_regions,
    )


RULE = Rule(
    id="RES006",
    title="Secrets Manager secret replicas are in Canadian regions",
    severity=Severity.MEDIUM,
    types=("aws_secretsmanager_secret",),
    rationale="A replica copies the secret, and so access to the health data it guards, into its region.",
    remediation='Give replica blocks only region = "ca-central-1" or "ca-west-1".',
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html",
)
