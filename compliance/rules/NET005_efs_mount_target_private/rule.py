"""EFS mount targets sit in private subnets."""

from __future__ import annotations

from compliance.analysis.placement import placement_result, subnets_placement
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    subnet = resource.values.get("subnet_id")
    return placement_result(subnets_placement([subnet], model), "subnet_id")


RULE = Rule(
    id="NET005",
    title="EFS mount target is in a private subnet",
    severity=Severity.HIGH,
    types=("aws_efs_mount_target",),
    rationale="The EFS file system holds the Neo4j graph of clinical data; its NFS endpoints belong in "
    "subnets with no route to the internet.",
    remediation="Create mount targets only in private subnets (route tables without an internet gateway).",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/efs/latest/ug/accessing-fs.html",
)
