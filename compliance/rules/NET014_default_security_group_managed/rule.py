"""Every VPC's default security group is managed, so Terraform can keep it closed."""

from __future__ import annotations

from compliance.analysis.references import companions
from compliance.model import Model, Resource, Result, Rule, Severity, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    doubtful = False
    for group, named in companions(resource, model, "aws_default_security_group", "vpc_id"):
        if named:
            return passed(f"its default security group is managed by {group.address} (judged by NET012)")
        doubtful = True
    if doubtful:
        return unknown("an aws_default_security_group's vpc_id is not known before apply")
    return failed(
        "no aws_default_security_group manages this VPC's default group: AWS's allow-all rules between "
        "its members and to anywhere outbound stay in place"
    )


RULE = Rule(
    id="NET014",
    title="VPC default security group is managed by Terraform",
    severity=Severity.MEDIUM,
    types=("aws_vpc", "aws_default_vpc"),
    rationale="AWS creates every VPC's default security group with rules allowing all traffic between its "
    "members and all outbound traffic. Only an aws_default_security_group removes them (NET012 then "
    "judges what it keeps); an unmanaged default group silently connects whatever lands in it.",
    remediation="Add aws_default_security_group with vpc_id = aws_vpc.this.id and no ingress or egress "
    "blocks for every VPC, the default VPC included.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
)
