"""Secret variables have no default in code and are marked sensitive."""

from __future__ import annotations

from compliance.analysis.secret_values import (
    looks_secret_name,
    pointer_or_null,
    secret_capable,
    secret_keys,
    secret_value_kind,
)
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result | None:
    default = resource.values.get("default")
    sensitive = resource.values.get("sensitive")
    named = looks_secret_name(resource.name)
    literal = secret_keys(default) if not isinstance(default, Unknown) else []
    if not named and not literal:
        return None
    if not literal and not _may_hold_secret(resource):
        return None
    if isinstance(default, Unknown):
        return unknown("default is not known")
    if literal and not named:
        kind = secret_value_kind(default)
        where = kind if kind else f"a secret-looking value at {', '.join(literal[:3])}"
        return failed(f"default holds {where}")
    problems = []
    if default not in (None, "", [], {}):
        problems.append("has a non-empty default: the secret is in the code and in every plan")
    if sensitive is not True:
        problems.append("is not sensitive: plans and logs print its value")
    if problems:
        return failed(f"secret variable {resource.name!r} " + " and ".join(problems))
    return passed(f"secret variable {resource.name!r} is sensitive with no default")


def _may_hold_secret(variable: Resource) -> bool:
    """A secret name is not enough: the declared type must be able to hold a secret string, and some value
    it receives (default, callers' arguments, tfvars) must be more than null or a pointer (an ARN, a
    parameter path, a reference to a non-secret attribute). A root variable without a known value may
    get anything at run time."""
    if not secret_capable(variable.values.get("type")):
        return False
    given = variable.values.get("values")
    if not isinstance(given, list):
        return True
    return not all(pointer_or_null(value) for value in [variable.values.get("default"), *given])


RULE = Rule(
    id="SEC004",
    title="Secret variables are sensitive and have no default",
    severity=Severity.HIGH,
    types=("terraform_variable",),
    rationale=(
        "A default puts the secret in version control and in every plan; a variable not marked sensitive "
        "is printed by terraform plan wherever it is used. Secret inputs come from the environment "
        "(TF_VAR_...) or a secrets store at run time, marked sensitive. A name alone does not make a secret: "
        "a variable whose type holds only numbers, booleans or pointer attributes (valueFrom, *_arn), or whose "
        "every value is null or a pointer (an ARN, a parameter path, a reference to a secret's ARN), is not "
        "judged."
    ),
    remediation="Remove the default and add sensitive = true; supply the value through TF_VAR_name from the "
    "CI secret store, or read it in the module from Secrets Manager.",
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output",
)
