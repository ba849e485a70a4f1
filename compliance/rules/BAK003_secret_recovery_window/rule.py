"""Secrets Manager secrets keep a recovery window of at least 7 days before deletion."""

from __future__ import annotations

from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

MINIMUM_DAYS = 7
PROVIDER_DEFAULT = 30


def check(resource: Resource, model: Model) -> Result:
    days = resource.values.get("recovery_window_in_days")
    if isinstance(days, Unknown):
        return unknown("recovery_window_in_days is not known before apply")
    if days is None:
        return passed(f"recovery_window_in_days is unset (provider default {PROVIDER_DEFAULT})")
    if int(days) < MINIMUM_DAYS:
        what = "0: deletion is immediate and irreversible" if int(days) == 0 else f"{days}"
        return failed(f"recovery_window_in_days is {what} (at least {MINIMUM_DAYS} required)")
    return passed(f"recovery_window_in_days is {days}")


RULE = Rule(
    id="BAK003",
    title="Secrets Manager secrets can be recovered for at least 7 days after deletion",
    severity=Severity.MEDIUM,
    types=("aws_secretsmanager_secret",),
    rationale=(
        "A window of 0 deletes a database or API credential at once; a mistaken destroy then locks the "
        "service out of the PHI stores with no way back. Seven days is AWS's minimum scheduled deletion "
        "and lets deletion be both careful and reversible (PIPEDA 4.7.5). Applied in every environment."
    ),
    remediation="Remove recovery_window_in_days = 0 (default 30) or set it between 7 and 30.",
    controls={"HIPAA": ("164.308(a)(7)(ii)(B)",), "PIPEDA": ("4.7.1", "4.7.5")},
    check=check,
    help_uri="https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-restore-secret.html",
)
