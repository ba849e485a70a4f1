"""Identity policies grant named actions: no "*" or "service:*", and no Allow with NotAction."""

from __future__ import annotations

from compliance.analysis.policy import (
    IDENTITY_POLICY_TYPES,
    allows,
    identity_policies,
    is_service_wide,
    unreadable,
)
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown


def check(resource: Resource, model: Model) -> Result | None:
    policies = identity_policies(resource, model)
    if not policies:
        return None
    problems: list[str] = []
    doubts = unreadable(policies)
    partial: list[str] = []
    for where, statement in allows(policies):
        if statement.not_actions:
            problems.append(f"{where}: Allow with NotAction grants every other action")
        for action in statement.actions:
            if isinstance(action, Unknown):
                doubts.append(f"{where}: an Action is unknown before apply")
            elif is_service_wide(action):
                problems.append(f"{where}: Action {action!r} grants every action of the service")
            elif "*" in action or "?" in action:
                partial.append(action)
    note = f" (partial wildcards {', '.join(sorted(set(partial)))} accepted)" if partial else ""
    return verdict(problems, doubts, f"every Allow names its actions{note}")


RULE = Rule(
    id="IAM001",
    title="IAM policies grant named actions, not service-wide wildcards",
    severity=Severity.HIGH,
    types=IDENTITY_POLICY_TYPES,
    rationale=(
        "A policy allowing '*' or 'service:*' (or Allow with NotAction) grants actions nobody reviewed, "
        "including future ones, on systems holding PHI. Partial verb wildcards such as 's3:Get*' stay "
        "within one kind of access and are accepted with a note."
    ),
    remediation="List the actions the workload calls (e.g. s3:GetObject, s3:PutObject); replace NotAction "
    "with an explicit Action list.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)
