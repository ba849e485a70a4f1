"""OpenSearch and Elasticsearch domains sit in private subnets of a VPC, with no public endpoint."""

from __future__ import annotations

from compliance.analysis.placement import placement_result, subnets_placement
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, unknown


def check(resource: Resource, model: Model) -> Result:
    vpc = blocks(resource.values, "vpc_options")
    if isinstance(vpc, Unknown):
        return unknown("vpc_options is not known before apply")
    if not vpc:
        return failed("vpc_options is unset: the domain has a public endpoint")
    subnets = vpc[0].get("subnet_ids")
    return placement_result(subnets_placement(subnets, model), "vpc_options.subnet_ids")


RULE = Rule(
    id="NET004",
    title="Search domain runs in private VPC subnets without a public endpoint",
    severity=Severity.CRITICAL,
    types=("aws_opensearch_domain", "aws_elasticsearch_domain"),
    rationale="A domain without vpc_options gets an internet endpoint guarded only by its access policy; "
    "the clinical-notes index must be reachable only from inside the VPC.",
    remediation="Set vpc_options with subnet_ids of private subnets (no route to an internet gateway) and "
    "security_group_ids that admit only the application.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
)
