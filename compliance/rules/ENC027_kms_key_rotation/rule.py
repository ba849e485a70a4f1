"""Symmetric KMS keys rotate their key material yearly (or on a shorter rotation_period_in_days).

AWS rotates only symmetric encryption keys with AWS-generated material in the default key store:
asymmetric and HMAC keys (customer_master_key_spec other than SYMMETRIC_DEFAULT) and keys in a custom key
store cannot rotate automatically, so the rule does not apply to them (None). aws_kms_external_key and
replica keys are out of scope for the same reason (a replica follows its primary).
"""

from __future__ import annotations

from compliance.analysis.values import describe, is_set, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result | None:
    spec = resource.values.get("customer_master_key_spec", "SYMMETRIC_DEFAULT")
    store = resource.values.get("custom_key_store_id")
    if isinstance(spec, Unknown):
        return Result(Status.UNKNOWN, "customer_master_key_spec is not known before apply")
    if spec not in (None, "SYMMETRIC_DEFAULT") or is_set(store) is not Status.FAIL:
        return None
    rotation = resource.values.get("enable_key_rotation")
    period = resource.values.get("rotation_period_in_days")
    suffix = f", every {period} days" if isinstance(period, int) else ""
    return Result(truth(rotation), f"enable_key_rotation is {describe(rotation)}{suffix}")


RULE = Rule(
    id="ENC027",
    title="KMS key rotates its key material",
    severity=Severity.MEDIUM,
    types=("aws_kms_key",),
    rationale="Rotation limits how much health data any one key version protects and is expected by "
    "auditors of encryption key management. enable_key_rotation defaults to false.",
    remediation="Set enable_key_rotation = true on every symmetric aws_kms_key (optionally "
    "rotation_period_in_days between 90 and 2560).",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
)
