"""A prod role that GitHub Actions may assume trusts only protected subjects, never pull requests or branches."""

from __future__ import annotations

import re

from compliance.analysis.policy import Statement, allow_statements, read_policy
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

GITHUB = "token.actions.githubusercontent.com"
PROD = re.compile(r"(^|[-_./])prod([-_./]|$)", re.IGNORECASE)
# After repo:<owner>/<name>: subjects a pull request of any branch (or any branch at all) presents.
UNPROTECTED = re.compile(r"^(pull_request|ref:refs/pull/.*|.*[*?].*)$")


def environment(resource: Resource) -> str | Unknown | None:
    """prod/other from the role's name or its Environment tag; Unknown when neither can be read."""
    names = [resource.values.get(k) for k in ("name", "name_prefix")]
    tags = [resource.values.get(k) for k in ("tags_all", "tags")]
    tagged = [t.get("Environment") for t in tags if isinstance(t, dict) and t.get("Environment") is not None]
    known = [v for v in [*names, *tagged] if isinstance(v, str)]
    if any(PROD.search(v) or v.lower() == "prod" for v in known):
        return "prod"
    if known:
        return "other"
    return next((v for v in [*names, *tagged] if isinstance(v, Unknown)), None)


def _github(statement: Statement) -> bool:
    """Trusts GitHub's OIDC provider: by its ARN, or (when the ARN is known only after apply) by its keys."""
    named = any(isinstance(p.id, str) and GITHUB in p.id for p in statement.principals)
    return named or any(c.key.lower().startswith(GITHUB + ":") for c in statement.conditions)


def check(resource: Resource, model: Model) -> Result | None:
    document = read_policy(resource.values.get("assume_role_policy"), model)
    if document is None:
        return None
    github = [s for s in allow_statements(document) if _github(s)]
    if not github:
        return None if document.complete else verdict([], [document.problem or "trust policy is unknown"], "")
    env = environment(resource)
    if env == "other":
        return None
    problems: list[str] = []
    doubts = [] if document.complete else [document.problem or "part of the trust policy is unknown"]
    if isinstance(env, Unknown) or env is None:
        doubts.append("whether the role is a prod role is unknown (no name or Environment tag)")
    for statement in github:
        subjects = [v for c in statement.conditions if c.key.lower().endswith(":sub") for v in c.values]
        if not subjects:
            problems.append(f"{statement.label}: no :sub condition, so every workflow run may assume it")
        for subject in subjects:
            if isinstance(subject, Unknown):
                doubts.append(f"{statement.label}: a :sub value is unknown before apply")
            elif UNPROTECTED.match(subject.split(":", 2)[-1] if subject.startswith("repo:") else subject):
                problems.append(f"{statement.label}: :sub {subject!r} admits pull requests or any branch")
    return verdict(
        problems, doubts, "prod trust names only protected subjects (environment, protected branch)"
    )


RULE = Rule(
    id="IAM009",
    title="Prod roles trust no GitHub pull request or unprotected branch",
    severity=Severity.CRITICAL,
    types=("aws_iam_role",),
    rationale=(
        "A pull request of any branch runs the code it brings: if it may assume a prod role (subject "
        "pull_request, refs/pull/*, or a wildcard), anyone who can open a branch reads prod state and PHI "
        "stores. Prod roles belong to a protected GitHub environment (required reviewers) or branch."
    ),
    remediation="Trust only repo:<owner>/<repo>:environment:prod (or ref:refs/heads/main, a protected branch) "
    "with StringEquals on token.actions.githubusercontent.com:sub; plan pull requests against staging.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
)
