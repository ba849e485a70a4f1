"""Role trust policies name a service, a specific principal, or a federated identity with conditions."""

from __future__ import annotations

import re

from compliance.analysis.policy import Principal, Statement, allow_statements, read_policy
from compliance.analysis.references import refers_to
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

ACCOUNT_ROOT = re.compile(r"^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$")
# Condition keys that narrow who in an account, or which workload identity, may assume the role.
IDENTITIES = ("aws_iam_role", "aws_iam_user", "aws_iam_openid_connect_provider", "aws_iam_saml_provider")
NARROWING = ("sts:externalid", "aws:principalarn", "aws:principalorgid", "aws:multifactorauthpresent")


def _keys(statement: Statement) -> set[str]:
    return {c.key.lower() for c in statement.conditions}


def _federated(statement: Statement, provider: str) -> str | None:
    """Why a federated principal is too broad, or None when its conditions pin the audience/subject."""
    keys = _keys(statement)
    host = provider.rsplit("oidc-provider/", 1)[-1].lower()
    if "token.actions.githubusercontent.com" in host:
        subjects = [v for c in statement.conditions if c.key.lower().endswith(":sub") for v in c.values]
        if not any(k.endswith(":aud") for k in keys) or not subjects:
            return "GitHub OIDC trust without both :aud and :sub conditions"
        broad = [v for v in subjects if isinstance(v, str) and re.match(r"^(\*|repo:\*)", v)]
        return f"GitHub OIDC :sub {broad[0]!r} admits any repository" if broad else None
    if "saml-provider" in host:
        return None if "saml:aud" in keys else "SAML trust without a SAML:aud condition"
    if not any(k.endswith((":aud", ":sub")) for k in keys):
        return f"federated trust in {provider!r} without an :aud or :sub condition"
    return None


def _principal(statement: Statement, principal: Principal, ident: str) -> str | None:
    if ident == "*":
        return f"principal {principal.kind} '*' lets anyone assume the role"
    if principal.kind != "Service" and "*" in ident:
        return f"wildcard principal {principal.kind} {ident!r} admits principals nobody named"
    if principal.kind == "Service":
        return f"service principal {ident!r} is a wildcard" if "*" in ident else None
    if principal.kind == "Federated":
        return _federated(statement, ident)
    if ACCOUNT_ROOT.match(ident) and not _keys(statement) & set(NARROWING):
        return f"account principal {ident!r} lets every principal of that account assume the role"
    return None


def check(resource: Resource, model: Model) -> Result | None:
    document = read_policy(resource.values.get("assume_role_policy"), model)
    if document is None:
        return None
    problems: list[str] = []
    doubts = [] if document.complete else [document.problem or "trust policy is unknown before apply"]
    for statement in allow_statements(document):
        if statement.not_principals:
            problems.append(f"{statement.label}: Allow with NotPrincipal trusts everyone else")
        for principal in statement.principals:
            if isinstance(principal.id, Unknown):
                if not refers_to(principal.id, model, *IDENTITIES):
                    doubts.append(
                        f"{statement.label}: the {principal.kind} principal is unknown before apply"
                    )
            elif (problem := _principal(statement, principal, principal.id)) is not None:
                problems.append(f"{statement.label}: {problem}")
    return verdict(problems, doubts, "trust policy names specific principals")


RULE = Rule(
    id="IAM005",
    title="IAM role trust policies admit only specific principals",
    severity=Severity.CRITICAL,
    types=("aws_iam_role",),
    rationale=(
        "A trust policy decides who can become the role. A '*' principal, a whole account without a "
        "narrowing condition, or an OIDC provider without audience and subject conditions (any GitHub "
        "repository) lets outsiders act with the role's access to PHI."
    ),
    remediation="Trust the service principal (ecs-tasks.amazonaws.com), a specific role ARN, or a federated "
    "provider with :aud and :sub conditions (repo:ORG/REPO:ref:refs/heads/main for GitHub).",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(d)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
)
