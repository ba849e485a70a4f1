"""No role, user or group gets AdministratorAccess, PowerUserAccess, IAMFullAccess or a *FullAccess policy."""

from __future__ import annotations

import re
from typing import Any

from compliance.analysis.policy import entries
from compliance.analysis.references import refers_to
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

# AWS-managed policies that grant whole services or the whole account. Every "*FullAccess" policy
# grants service:* on Resource "*" (e.g. AmazonS3FullAccess reaches every PHI bucket), which IAM001
# and IAM002 would fail if it were written inline, so attaching one fails too.
BROAD = re.compile(
    r"^arn:aws[a-z-]*:iam::aws:policy/(?:.*/)?"
    r"(AdministratorAccess(?:-[A-Za-z0-9]+)?|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9-]*)$"
)
ARN_ATTRIBUTES = {
    "aws_iam_role_policy_attachment": "policy_arn",
    "aws_iam_user_policy_attachment": "policy_arn",
    "aws_iam_group_policy_attachment": "policy_arn",
    "aws_iam_policy_attachment": "policy_arn",
    "aws_iam_role": "managed_policy_arns",
    "aws_iam_role_policy_attachments_exclusive": "policy_arns",
}


def judge(arns: Any, model: Model) -> Result | None:
    """The verdict on a list of policy ARNs (None when the resource names none)."""
    listed = entries(arns)
    if not listed:
        return None
    problems: list[str] = []
    doubts: list[str] = []
    for arn in listed:
        if isinstance(arn, Unknown):
            if not refers_to(arn, model, "aws_iam_policy"):
                doubts.append("a policy ARN is unknown before apply")
        elif match := BROAD.match(arn):
            problems.append(f"attaches AWS-managed {match.group(1)}")
    return verdict(problems, doubts, "attaches no administrator or *FullAccess managed policy")


def check(resource: Resource, model: Model) -> Result | None:
    return judge(resource.values.get(ARN_ATTRIBUTES[resource.type]), model)


RULE = Rule(
    id="IAM003",
    title="No administrator or full-access AWS managed policy is attached",
    severity=Severity.CRITICAL,
    types=tuple(ARN_ATTRIBUTES),
    rationale=(
        "AdministratorAccess, PowerUserAccess, IAMFullAccess and every *FullAccess managed policy grant "
        "whole services (or the account) on Resource '*', so one compromised workload reaches all PHI."
    ),
    remediation="Attach a customer-managed policy listing the actions and ARNs the principal needs.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
)
