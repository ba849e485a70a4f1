"""IAM users carry no inline or directly attached policies and no long-lived access keys."""

from __future__ import annotations

from compliance.analysis.references import companions
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

# Resources that hang permissions or credentials directly on a user, and the attribute naming the user.
ON_USER = {
    "aws_iam_user_policy": ("user", "inline policy"),
    "aws_iam_user_policy_attachment": ("user", "directly attached policy"),
    "aws_iam_access_key": ("user", "access key"),
}


def check(resource: Resource, model: Model) -> Result | None:
    if resource.type in ON_USER:
        what = ON_USER[resource.type][1]
        return failed(f"{what} on an IAM user: grant access to roles (or groups) instead")
    found: list[str] = []
    doubtful = False
    for kind, (attribute, what) in ON_USER.items():
        for other, names in companions(resource, model, kind, attribute, keys=("name",)):
            if names:
                found.append(f"{what} {other.address}")
            doubtful |= names is None
    if found:
        return failed("user has " + ", ".join(found))
    if doubtful or isinstance(resource.values.get("name"), Unknown):
        return unknown("the user's name is unknown before apply, so policies naming it cannot be matched")
    return passed("no inline policy, directly attached policy or access key on this user")


RULE = Rule(
    id="IAM007",
    title="IAM users have no inline policies, attached policies or access keys",
    severity=Severity.HIGH,
    types=("aws_iam_user", *ON_USER),
    rationale=(
        "Access keys are long-lived credentials that leak through laptops and CI logs, and permissions "
        "hung on individual users escape group and role review. Workloads use roles; people use SSO."
    ),
    remediation="Delete aws_iam_access_key and per-user policies; use roles assumed through SSO or OIDC, "
    "and groups for any remaining users.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(d)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
)
