"""Aurora/RDS, Neptune and DocumentDB clusters sit in private subnets."""

from __future__ import annotations

from compliance.analysis.placement import subnet_group_result
from compliance.model import Model, Resource, Result, Rule, Severity

GROUP_KEY = {"aws_neptune_cluster": "neptune_subnet_group_name"}


def check(resource: Resource, model: Model) -> Result:
    key = GROUP_KEY.get(resource.type, "db_subnet_group_name")
    return subnet_group_result(resource.values.get(key), model, key)


RULE = Rule(
    id="NET008",
    title="Database cluster is placed in private subnets",
    severity=Severity.HIGH,
    types=("aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"),
    rationale="Cluster endpoints in subnets routed to an internet gateway are one setting or rule away "
    "from the internet; the default subnet group places them in the default VPC's public subnets.",
    remediation="Give the cluster a subnet group of private subnets (no route to an internet gateway).",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/neptune/latest/userguide/get-started-vpc.html",
)
