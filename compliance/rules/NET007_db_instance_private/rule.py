"""RDS instances are not publicly accessible and sit in private subnets."""

from __future__ import annotations

from typing import Any

from compliance.analysis.placement import subnet_group_result
from compliance.analysis.references import targets
from compliance.analysis.values import truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, unknown


def check(resource: Resource, model: Model) -> Result:
    public = truth(resource.values.get("publicly_accessible"))
    if public is Status.PASS:
        return failed("publicly_accessible is true: the endpoint resolves to a public address")
    placement = subnet_group_result(_subnet_group(resource, model), model, "db_subnet_group_name")
    if public is Status.UNKNOWN and placement.status is Status.PASS:
        return unknown("publicly_accessible is not known before apply")
    return placement


def _subnet_group(resource: Resource, model: Model) -> Any:
    """The instance's own group; a cluster member uses its cluster's, a same-region replica its source's."""
    if resource.type == "aws_rds_cluster_instance":
        parent_key = "cluster_identifier"
    else:
        own = resource.values.get("db_subnet_group_name")
        if (own is not None and own != "") or resource.values.get("replicate_source_db") is None:
            return own
        parent_key = "replicate_source_db"
    parents = targets(resource.values.get(parent_key), model, "aws_rds_cluster", "aws_db_instance")
    if len(parents) != 1:
        return Unknown(reason=f"{parent_key} is not in this configuration")
    return _subnet_group(parents[0], model)


RULE = Rule(
    id="NET007",
    title="RDS database instance is private and in private subnets",
    severity=Severity.CRITICAL,
    types=("aws_db_instance", "aws_rds_cluster_instance"),
    rationale="A publicly accessible database, or one in subnets routed to an internet gateway, is one "
    "security group rule away from the internet.",
    remediation="Set publicly_accessible = false and db_subnet_group_name to a group of private subnets "
    "(no route to an internet gateway); never rely on the default subnet group.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
)
