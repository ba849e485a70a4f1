"""No role, user or group gets AdministratorAccess, PowerUserAccess, IAMFullAccess or a *FullAccess policy."""

from __future__ import annotations

import re
from typing import Any

from compliance.analysis.partial import partial_arn
from compliance.analysis.policy import entries
from compliance.analysis.references import refers_to
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

# AWS-managed policies that grant whole services or the whole account. Every "*FullAccess" policy
# grants service:* on Resource "*" (e.g. AmazonS3FullAccess reaches every PHI bucket), which IAM001
# and IAM002 would fail if it were written inline, so attaching one fails too.
NAMES = r"(AdministratorAccess(?:-[A-Za-z0-9]+)?|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9-]*)$"
BROAD = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:.*/)?" + NAMES)
BROAD_NAME = re.compile(r"^policy/(?:.*/)?" + NAMES)  # the resource field of an ARN known in part
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
    notes: list[str] = []
    for arn in listed:
        if isinstance(arn, Unknown):
            if refers_to(arn, model, "aws_iam_policy"):
                continue
            decided = _known_in_part(arn)
            if decided is None:
                doubts.append("a policy ARN is unknown before apply")
            elif decided[0]:
                problems.append(decided[1])
            else:
                notes.append(decided[1])
        elif match := BROAD.match(arn):
            problems.append(f"attaches AWS-managed {match.group(1)}")
    fine = "attaches no administrator or *FullAccess managed policy"
    return verdict(problems, doubts, f"{fine} ({'; '.join(notes)})" if notes else fine)


def _known_in_part(arn: Unknown) -> tuple[bool, str] | None:
    """(broad, why) for a policy ARN known but for its partition, region or account; None if undecided.

    The verdict depends on the policy's name, on the account field being "aws" and on the partition
    starting with "aws": a known name that is not broad passes whatever fills the unknown fields; a
    broad name under the known account "aws" fails whatever the partition (every AWS partition starts
    with "aws"; anything else is no valid ARN and the attachment fails at apply)."""
    parts = partial_arn(arn)
    if parts is None or parts.resource is None or parts.service not in (None, "iam"):
        return None
    unknown_fields = ", ".join(parts.unknown_fields())
    name = BROAD_NAME.match(parts.resource)
    if name is None:
        return False, f"{parts.resource} is not broad whatever its {unknown_fields} (ARN known in part)"
    if parts.account == "aws" and parts.service == "iam" and parts.partition is None:
        return (
            True,
            f"attaches AWS-managed {name.group(1)} (partition known after apply: any partition fails)",
        )
    return None


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
