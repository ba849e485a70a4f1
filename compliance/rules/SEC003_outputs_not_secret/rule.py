"""Outputs that carry secrets are marked sensitive, so plans, logs and CI never print them."""

from __future__ import annotations

from compliance.analysis.secret_values import looks_secret_name, pointer_or_null, secret_keys, secret_ref
from compliance.model import Model, Resource, Result, Rule, Severity, failed, passed


def why_secret(resource: Resource) -> str | None:
    """Why an output looks like it carries a secret: its name, its value's form, or its source."""
    value = resource.values.get("value")
    if (ref := secret_ref(value)) is not None:
        return f"its value comes from {ref}"
    if looks_secret_name(resource.name) and (
        resource.values.get("sensitive") is True or not pointer_or_null(value)
    ):
        return f"its name {resource.name!r} looks like a secret"
    if keys := secret_keys(value):
        return f"its value holds a secret at {', '.join(keys[:3])}"
    return None


def check(resource: Resource, model: Model) -> Result | None:
    reason = why_secret(resource)
    if reason is None:
        return None
    if resource.values.get("sensitive") is True:
        return passed(f"sensitive = true ({reason})")
    return failed(f"{reason} but sensitive is not true: terraform plan/apply and CI logs print it")


RULE = Rule(
    id="SEC003",
    title="Outputs carrying secrets are marked sensitive",
    severity=Severity.HIGH,
    types=("terraform_output",),
    rationale=(
        "Terraform prints every non-sensitive output after plan and apply, into CI logs that many people "
        "can read. An output named like a password, holding a key-shaped literal or taken from a password "
        "attribute must be sensitive (or not exist). A secret-like name whose value only points at secrets "
        "(ARNs, parameter paths, valueFrom lists, references to non-secret attributes) or is null is not judged."
    ),
    remediation="Add sensitive = true to the output, or better, output the secret's ARN and let consumers "
    "read it from Secrets Manager.",
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output",
)
