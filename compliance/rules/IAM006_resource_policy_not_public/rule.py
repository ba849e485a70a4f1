"""Resource policies (S3, OpenSearch, KMS, Secrets Manager, ECR, SNS, SQS) grant nothing to the public."""

from __future__ import annotations

from compliance.analysis.policy import (
    RESOURCE_POLICY_ATTRIBUTES,
    Condition,
    Statement,
    allow_statements,
    resource_policy,
)
from compliance.analysis.references import refers_to
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

# Condition keys that pin a "*" principal to our organisation, account, resource or network path.
# aws:SourceIp is not among them: an address range does not identify who is calling.
RESTRICTING = (
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceorgid",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "kms:calleraccount",
    "kms:viaservice",
)
IDENTITIES = ("aws_iam_role", "aws_iam_user")
NEGATED = ("stringnot", "arnnot", "notipaddress")


def restricts(condition: Condition) -> bool:
    """A positive test of a restricting key against concrete values (not "*", not IfExists)."""
    operator = condition.operator.lower()
    if (
        condition.key.lower() not in RESTRICTING
        or operator.startswith(NEGATED)
        or operator.endswith("ifexists")
    ):
        return False
    return bool(condition.values) and all(v != "*" for v in condition.values)


def public(statement: Statement, model: Model) -> bool | None:
    """Whether an Allow statement admits anyone; None when its principal is unknown."""
    if statement.not_principals:
        return True
    if any(
        isinstance(p.id, Unknown) and not refers_to(p.id, model, *IDENTITIES) for p in statement.principals
    ):
        return None
    everyone = any(
        isinstance(p.id, str) and p.kind in ("*", "AWS") and "*" in p.id for p in statement.principals
    )
    return everyone and not any(restricts(c) for c in statement.conditions)


def check(resource: Resource, model: Model) -> Result | None:
    document = resource_policy(resource, model)
    if document is None:
        return None
    problems: list[str] = []
    doubts = [] if document.complete else [document.problem or "policy is unknown before apply"]
    for statement in allow_statements(document):
        verdict_ = public(statement, model)
        if verdict_ is None:
            doubts.append(f"{statement.label}: a principal is unknown before apply")
        elif verdict_:
            actions = ", ".join(a for a in statement.actions if isinstance(a, str)) or "NotAction"
            problems.append(
                f"{statement.label}: allows {actions} to any principal without a restricting condition"
            )
    return verdict(problems, doubts, "no statement allows a public principal")


RULE = Rule(
    id="IAM006",
    title="Resource policies grant no access to the public",
    severity=Severity.CRITICAL,
    types=tuple(RESOURCE_POLICY_ATTRIBUTES),
    rationale=(
        "A resource policy allowing Principal '*' (or {AWS: '*'}, or Allow with NotPrincipal) opens the "
        "bucket, domain, key, secret, repository, topic or queue to every AWS account unless a condition "
        "such as aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce pins it down."
    ),
    remediation="Name the account, role or service principal, or add a condition on aws:PrincipalOrgID, "
    "aws:SourceAccount, aws:SourceArn or aws:SourceVpce.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7", "4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
)
