"""Identity policies grant no known privilege-escalation path on every resource.

Three families, after the published IAM escalation research that prowler and checkov encode:
- iam:PassRole on any role together with an action that runs code as the passed role
  (lambda:CreateFunction, ecs:RunTask, ec2:RunInstances, ...): the principal becomes any role;
- credentials for any user (iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile);
- rewriting any policy (iam:Put*Policy, iam:Attach*Policy, iam:CreatePolicyVersion, ...).
"Any" means a Resource with a wildcard or a NotResource. Grants across several statements of the
resource's policies combine; an action or resource unknown before apply is UNKNOWN.
"""

from __future__ import annotations

from compliance.analysis.policy import (
    IDENTITY_POLICY_TYPES,
    Policies,
    allows,
    grants,
    identity_policies,
    unreadable,
)
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

RUNS_AS_ROLE = (
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
    "ecs:RunTask",
    "ecs:RegisterTaskDefinition",
    "ec2:RunInstances",
    "glue:CreateDevEndpoint",
    "cloudformation:CreateStack",
)
CREDENTIALS = ("iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile")
POLICY_WRITES = (
    "iam:PutUserPolicy",
    "iam:PutRolePolicy",
    "iam:PutGroupPolicy",
    "iam:AttachUserPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachGroupPolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
)


def _on_any(resources: tuple[object, ...], not_resources: tuple[object, ...]) -> bool | None:
    """Whether a statement's resources reach every resource of a kind; None when not known."""
    if not_resources:
        return True
    if any(isinstance(r, str) and "*" in r for r in resources):
        return True
    if any(isinstance(r, Unknown) and not r.refs for r in resources):
        return None
    return False


def check(resource: Resource, model: Model) -> Result | None:
    policies = identity_policies(resource, model)
    if not policies:
        return None
    doubts = unreadable(policies)
    wide: dict[str, list[str]] = {}  # action -> where it is granted on any resource
    seen = False
    for where, statement in allows(policies):
        reach = _on_any(statement.resources, statement.not_resources)
        for action in ("iam:PassRole", *RUNS_AS_ROLE, *CREDENTIALS, *POLICY_WRITES):
            granted = grants(statement, action)
            if granted is None:
                doubts.append(f"{where}: an Action is unknown, it may grant {action}")
                break
            if not granted:
                continue
            seen = True
            if reach is None:
                doubts.append(f"{where}: a Resource of {action} is unknown before apply")
            elif reach:
                wide.setdefault(action, []).append(where)
    problems = [f"{a} on any user ({wide[a][0]})" for a in CREDENTIALS if a in wide]
    problems += [f"{a} on any policy or principal ({wide[a][0]})" for a in POLICY_WRITES if a in wide]
    runs = [a for a in RUNS_AS_ROLE if a in wide or _granted_anywhere(a, policies)]
    if "iam:PassRole" in wide and runs:
        problems.append(f"iam:PassRole on any role ({wide['iam:PassRole'][0]}) with {', '.join(runs)}")
    if not seen and not doubts:
        return None
    return verdict(problems, doubts, "no privilege-escalation combination is granted")


def _granted_anywhere(action: str, policies: Policies) -> bool:
    return any(grants(statement, action) for _, statement in allows(policies))


RULE = Rule(
    id="IAM010",
    title="IAM policies grant no privilege-escalation combination",
    severity=Severity.CRITICAL,
    types=IDENTITY_POLICY_TYPES,
    rationale=(
        "A principal that can pass any role to code it launches, mint keys or passwords for any user, or "
        "rewrite any policy can make itself an administrator, and so read every store of health data, "
        "whatever its other policies say."
    ),
    remediation="Scope iam:PassRole to the roles the workload passes, and iam:Create*AccessKey/LoginProfile "
    "and iam:Put*/Attach*Policy to named principals and policies (or move them to a break-glass role).",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)
