"""iam:PassRole is granted only on named roles, not on "*" or wildcard role paths."""

from __future__ import annotations

from compliance.analysis.policy import IDENTITY_POLICY_TYPES, granting, identity_policies, unreadable
from compliance.analysis.references import refers_to
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown


def check(resource: Resource, model: Model) -> Result | None:
    policies = identity_policies(resource, model)
    if not policies:
        return None
    problems: list[str] = []
    doubts = unreadable(policies)
    unconditioned: list[str] = []
    granted = False
    for where, statement in granting(policies, "iam:PassRole", doubts):
        granted = True
        if statement.not_resources:
            problems.append(f"{where}: iam:PassRole with NotResource reaches every other role")
        for target in statement.resources:
            if isinstance(target, Unknown):
                if not refers_to(target, model, "aws_iam_role"):
                    doubts.append(f"{where}: an iam:PassRole Resource is unknown before apply")
            elif "*" in target or "?" in target:
                problems.append(f"{where}: iam:PassRole on {target!r} (wildcard)")
        if not any(c.key.lower() == "iam:passedtoservice" for c in statement.conditions):
            unconditioned.append(statement.label)
    if not granted and not problems and not doubts:
        return None
    note = f" (no iam:PassedToService condition in {', '.join(unconditioned)})" if unconditioned else ""
    return verdict(problems, doubts, f"iam:PassRole names specific roles{note}")


RULE = Rule(
    id="IAM004",
    title="IAM PassRole permissions are scoped to named roles",
    severity=Severity.HIGH,
    types=IDENTITY_POLICY_TYPES,
    rationale=(
        "PassRole on '*' (or on 'role/*', or through 'iam:*' or '*') lets a principal hand any role, "
        "including administrators, to a service it controls: privilege escalation to every PHI store."
    ),
    remediation="Grant iam:PassRole on the ARNs of the roles the workload passes (aws_iam_role.x.arn) with a "
    "condition iam:PassedToService naming the service.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
)
