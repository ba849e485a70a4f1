"""The VPC default security group has no rules, inline or added by separate rule resources."""

from __future__ import annotations

from compliance.analysis.ingress import rule_blocks
from compliance.analysis.references import targets
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

RULE_TYPES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)


def check(resource: Resource, model: Model) -> Result | None:
    if resource.type in RULE_TYPES:
        return _rule_on_default(resource, model)
    found: list[str] = []
    for direction in ("ingress", "egress"):
        rules = rule_blocks(resource, direction)
        if isinstance(rules, Unknown):
            return unknown(f"{direction} of the default security group is not known before apply")
        if rules:
            found.append(f"{len(rules)} {direction} rule{'s' if len(rules) > 1 else ''}")
    if found:
        return failed(f"the default security group has {' and '.join(found)}")
    return passed("the default security group has no ingress or egress rules")


def _rule_on_default(resource: Resource, model: Model) -> Result | None:
    """A separate rule on `aws_default_security_group.x.id` or `aws_vpc.x.default_security_group_id`."""
    value = resource.values.get("security_group_id")
    defaults = targets(value, model, "aws_default_security_group", "aws_vpc", "aws_default_vpc")
    if not defaults:
        return None
    return failed(f"security_group_id adds a rule to the default security group of {defaults[0].address}")


RULE = Rule(
    id="NET012",
    title="VPC default security group allows no traffic",
    severity=Severity.MEDIUM,
    types=("aws_default_security_group", *RULE_TYPES),
    rationale="Resources launched without an explicit group land in the default one; with rules it "
    "silently connects them to everything else in it (by default, to each other and to anywhere outbound).",
    remediation="Manage the default group with aws_default_security_group and no ingress or egress blocks, "
    "add no rule resources to it, and give every resource its own security group.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
)
