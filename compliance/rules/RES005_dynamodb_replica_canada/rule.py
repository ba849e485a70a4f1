"""DynamoDB global table replicas are in Canada."""

from __future__ import annotations

from compliance.analysis.residency import region_result, regions_result, resource_region
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    allowed = model.settings.allowed_regions
    if resource.type == "aws_dynamodb_table_replica":
        return region_result(
            resource_region(resource), f"the replica's region ({resource.provider})", allowed
        )
    replicas = blocks(resource.values, "replica")
    if isinstance(replicas, Unknown):
        return unknown("replica is not known before apply")
    return regions_result(
        [(r.get("region_name"), f"replica[{i}].region_name") for i, r in enumerate(replicas)],
        allowed=allowed,
    )


RULE = Rule(
    id="RES005",
    title="DynamoDB table replicas are in Canadian regions",
    severity=Severity.HIGH,
    types=("aws_dynamodb_table", "aws_dynamodb_table_replica"),
    rationale="A global table replica holds a full, live copy of the table in its region.",
    remediation="Give replica blocks (and aws_dynamodb_table_replica providers) only ca-central-1 or "
    "ca-west-1.",
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html",
)
