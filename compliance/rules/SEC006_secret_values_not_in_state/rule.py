"""Secret values are written through write-only or managed arguments, never into plan and state."""

from __future__ import annotations

from typing import Any

from compliance.analysis.secret_values import RANDOM_PASSWORD
from compliance.analysis.values import get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed

# type -> (arguments stored in state, signs of the write-only or managed alternative). A write-only
# value is null in plans by design, so its companion *_wo_version is what shows it is used.
ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws_secretsmanager_secret_version": (("secret_string", "secret_binary"), ("secret_string_wo_version",)),
    "aws_db_instance": (("password",), ("password_wo_version", "manage_master_user_password")),
    "aws_rds_cluster": (("master_password",), ("master_password_wo_version", "manage_master_user_password")),
    "aws_docdb_cluster": (("master_password",), ("master_password_wo_version",)),
    "aws_ssm_parameter": (("value",), ("value_wo_version",)),
    "aws_opensearch_domain": (("advanced_security_options.master_user_options.master_user_password",), ()),
}


def _given(value: Any) -> bool:
    """Whether the configuration sets the argument (to anything, known or not: either way it is stored)."""
    return isinstance(value, Unknown) or value not in (None, "", False)


def _origin(value: Any) -> str:
    if isinstance(value, Unknown):
        if any(RANDOM_PASSWORD in ref for ref in value.refs):
            return "from data.aws_secretsmanager_random_password, whose result is plain text in the plan"
        return "from another resource's attribute" if value.refs else "to a value known only at apply"
    return "to a value known before apply"


def check(resource: Resource, model: Model) -> Result | None:
    stored, safe = ARGUMENTS[resource.type]
    if resource.type == "aws_ssm_parameter" and resource.values.get("type") != "SecureString":
        return None  # String parameters are SEC007's concern
    for argument in stored:
        value = get(resource.values, argument)
        if _given(value):
            return failed(f"{argument} is set {_origin(value)}: the secret is stored in plan and state")
    for argument in safe:
        if _given(get(resource.values, argument)):
            return passed(f"{argument} is set: the value stays out of state")
    return None


RULE = Rule(
    id="SEC006",
    title="Secret values stay out of Terraform plan and state",
    severity=Severity.HIGH,
    types=tuple(ARGUMENTS),
    rationale=(
        "Terraform state and saved plans hold every argument in plain text, readable by anyone with the "
        "state bucket. A secret_string, password or SecureString value (literal, or a random password "
        "from data.aws_secretsmanager_random_password) is therefore exposed outside Secrets Manager's "
        "key policy. Write-only arguments (*_wo, Terraform 1.11+) and RDS-managed passwords are not stored."
    ),
    remediation="Use secret_string_wo / password_wo / value_wo with an ephemeral value, or "
    "manage_master_user_password = true; or create the secret empty and set its value outside Terraform.",
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only",
)
