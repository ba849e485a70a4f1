"""SSM parameters that hold secrets are SecureString, encrypted with KMS and access-logged."""

from __future__ import annotations

from compliance.analysis.secret_values import looks_secret_name, secret_value_kind
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result | None:
    name = resource.values.get("name")
    kind = resource.values.get("type")
    if isinstance(name, Unknown):
        return None if kind == "SecureString" else unknown("name is not known before apply")
    last = str(name).rstrip("/").rsplit("/", 1)[-1]
    value_kind = secret_value_kind(resource.values.get("value")) or secret_value_kind(
        resource.values.get("insecure_value")
    )
    if not looks_secret_name(last) and value_kind is None:
        return None
    why = f"name {last!r} looks like a secret" if looks_secret_name(last) else f"value holds {value_kind}"
    if isinstance(kind, Unknown):
        return unknown(f"{why}; type is not known before apply")
    if kind == "SecureString":
        return passed(f"{why} and type is SecureString")
    return failed(f"{why} but type is {kind!r}: stored unencrypted, readable with ssm:GetParameter alone")


RULE = Rule(
    id="SEC007",
    title="SSM parameters holding secrets are SecureString",
    severity=Severity.HIGH,
    types=("aws_ssm_parameter",),
    rationale=(
        "A String parameter is stored in plain text and returned to anyone with ssm:GetParameter; a "
        "SecureString is encrypted with KMS, so reading it also needs kms:Decrypt and is logged."
    ),
    remediation='Set type = "SecureString" (with key_id naming a customer-managed key), or keep the secret '
    "in Secrets Manager.",
    controls={"HIPAA": ("164.312(d)", "164.312(a)(2)(iv)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
)
