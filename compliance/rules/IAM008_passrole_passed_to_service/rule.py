"""iam:PassRole is granted only with an iam:PassedToService condition naming the service."""

from __future__ import annotations

from compliance.analysis.policy import IDENTITY_POLICY_TYPES, granting, identity_policies, unreadable
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

KEY = "iam:passedtoservice"


def check(resource: Resource, model: Model) -> Result | None:
    policies = identity_policies(resource, model)
    if not policies:
        return None
    problems: list[str] = []
    doubts = unreadable(policies)
    granted = False
    for where, statement in granting(policies, "iam:PassRole", doubts):
        granted = True
        values = [v for c in statement.conditions if c.key.lower() == KEY for v in c.values]
        if not values:
            problems.append(f"{where}: iam:PassRole without an iam:PassedToService condition")
        elif any(isinstance(v, Unknown) for v in values):
            doubts.append(f"{where}: the iam:PassedToService value is unknown before apply")
        elif any("*" in v or "?" in v for v in values if isinstance(v, str)):
            problems.append(f"{where}: iam:PassedToService {values!r} is a wildcard")
    if not granted and not problems and not doubts:
        return None
    return verdict(problems, doubts, "iam:PassRole names the service the roles may be passed to")


RULE = Rule(
    id="IAM008",
    title="IAM PassRole permissions name the service the role is passed to",
    severity=Severity.HIGH,
    types=IDENTITY_POLICY_TYPES,
    rationale=(
        "Without iam:PassedToService a principal that may pass a task role to ECS may also hand it to "
        "Lambda, EC2 or any service it can drive, and run code with that role's access to PHI."
    ),
    remediation='Add Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } } '
    "(the one service that needs the role) to every statement granting iam:PassRole.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
)
