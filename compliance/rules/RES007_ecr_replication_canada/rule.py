"""ECR replication copies images only to Canadian regions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.residency import regions_result
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    found: list[tuple[Any, str]] = []
    configs = blocks(resource.values, "replication_configuration")
    if isinstance(configs, Unknown):
        return unknown("replication_configuration is not known before apply")
    for config in configs:
        rules = blocks(config, "rule")
        if isinstance(rules, Unknown):
            return unknown("replication_configuration.rule is not known before apply")
        for index, rule in enumerate(rules):
            destinations = blocks(rule, "destination")
            if isinstance(destinations, Unknown):
                return unknown(f"rule[{index}].destination is not known before apply")
            found.extend(_regions(destinations, index))
    return regions_result(found, none="no replication destination", allowed=model.settings.allowed_regions)


def _regions(destinations: list[Mapping[str, Any]], index: int) -> list[tuple[Any, str]]:
    return [(d.get("region"), f"rule[{index}].destination.region") for d in destinations]


RULE = Rule(
    id="RES007",
    title="ECR replication destinations are Canadian regions",
    severity=Severity.MEDIUM,
    types=("aws_ecr_replication_configuration",),
    rationale="Replicated images (which may bundle models or reference data derived from health records) "
    "are stored in every destination region.",
    remediation='Give replication destinations only region = "ca-central-1" or "ca-west-1".',
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html",
)
