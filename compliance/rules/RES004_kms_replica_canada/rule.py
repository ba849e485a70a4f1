"""KMS replica keys are created in Canada."""

from __future__ import annotations

from compliance.analysis.residency import region_result, resource_region
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return region_result(
        resource_region(resource),
        f"the replica's region ({resource.provider})",
        model.settings.allowed_regions,
    )


RULE = Rule(
    id="RES004",
    title="KMS replica keys are in Canadian regions",
    severity=Severity.HIGH,
    types=("aws_kms_replica_key", "aws_kms_replica_external_key"),
    rationale="A replica key decrypts the health data encrypted under its primary; a replica outside "
    "Canada lets that data be decrypted, and so processed, there.",
    remediation="Create replica keys only with a provider in ca-central-1 or ca-west-1.",
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
)
