"""AWS provider configurations hold no literal access keys."""

from __future__ import annotations

from compliance.analysis.secret_values import is_placeholder
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

CREDENTIALS = ("access_key", "secret_key", "token")


def check(resource: Resource, model: Model) -> Result | None:
    if resource.name != "aws":
        return None
    literal: list[str] = []
    placeholders: list[str] = []
    doubtful: list[str] = []
    for key in CREDENTIALS:
        value = resource.values.get(key)
        if isinstance(value, Unknown):
            if not value.refs:
                doubtful.append(key)
        elif value in (None, ""):
            continue
        elif is_placeholder(value):
            placeholders.append(key)
        else:
            literal.append(key)
    if literal:
        return failed(
            f"{', '.join(literal)} set in the provider configuration (a literal, or a variable's value)"
        )
    if doubtful:
        return unknown(f"{', '.join(doubtful)} has no value known from the configuration")
    if placeholders:
        return passed(
            f"{', '.join(placeholders)} is an emulator or documentation placeholder, not a credential"
        )
    return passed("no static credentials: the provider uses the environment, a profile or a role")


RULE = Rule(
    id="SEC005",
    title="AWS provider configurations contain no static access keys",
    severity=Severity.CRITICAL,
    types=("provider",),
    rationale=(
        "Keys written into a provider block (or a variable default feeding it) live in version control and "
        "state, never expire and grant whatever the user can do. CI and people use roles (OIDC, SSO); the "
        "emulator fakes 'test'/'mock' and AWS's documented EXAMPLE keys are accepted as non-credentials. "
        "In plan form Terraform keeps any set key only as a redacted value, so it fails there too."
    ),
    remediation="Remove access_key/secret_key/token; let the provider read credentials from the environment, "
    "a profile or assume_role, with roles issued by OIDC or SSO.",
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration",
)
