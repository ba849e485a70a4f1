"""Secrets Manager secrets rotate automatically, or carry a documented rotation exemption."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.analysis.references import companions
from compliance.analysis.values import get
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown

# A secret that cannot rotate (a third party's API key) says so, with a reason or ticket, in this tag.
EXEMPTION_TAG = "RotationExemption"


def _exemption(resource: Resource) -> str | None:
    tags = resource.values.get("tags")
    if not isinstance(tags, Mapping):
        return None
    reason = tags.get(EXEMPTION_TAG)
    return reason.strip() if isinstance(reason, str) and reason.strip() else None


def _schedule(rotation: Resource) -> Status:
    """Whether rotation_rules sets a period or a schedule (a computed number is unknown, not set)."""
    values = (
        get(rotation.values, "rotation_rules.automatically_after_days"),
        get(rotation.values, "rotation_rules.schedule_expression"),
    )
    if any(v not in (None, "", 0) and not isinstance(v, Unknown) for v in values):
        return Status.PASS
    return Status.UNKNOWN if any(isinstance(v, Unknown) for v in values) else Status.FAIL


def check(resource: Resource, model: Model) -> Result:
    doubtful = False
    for rotation, named in companions(
        resource, model, "aws_secretsmanager_secret_rotation", "secret_id", keys=("id", "arn", "name")
    ):
        schedule = _schedule(rotation)
        if named and schedule is Status.PASS:
            return passed(f"rotated by {rotation.address}")
        doubtful |= named is None or schedule is Status.UNKNOWN
    reason = _exemption(resource)
    if reason:
        return passed(f"rotation exemption documented in tag {EXEMPTION_TAG}: {reason}")
    if doubtful:
        return unknown("an aws_secretsmanager_secret_rotation may apply but is not known before apply")
    if isinstance(resource.values.get("tags"), Unknown):
        return unknown(f"tags (and so a {EXEMPTION_TAG} tag) are not known before apply")
    return failed(
        f"no aws_secretsmanager_secret_rotation with rotation_rules names this secret, and no {EXEMPTION_TAG} tag"
    )


RULE = Rule(
    id="SEC001",
    title="Secrets Manager secrets rotate automatically",
    severity=Severity.MEDIUM,
    types=("aws_secretsmanager_secret",),
    rationale=(
        "A credential that never changes stays valid for whoever copied it. Rotation bounds the damage of a "
        "leak of a database or search password. A secret that cannot rotate (a vendor API key) documents "
        "why in a RotationExemption tag naming the reason or ticket, which the report shows."
    ),
    remediation="Add aws_secretsmanager_secret_rotation { secret_id = aws_secretsmanager_secret.x.id, "
    "rotation_lambda_arn = ..., rotation_rules { automatically_after_days = 30 } }, or tag the secret "
    'RotationExemption = "<reason or ticket>".',
    controls={"HIPAA": ("164.312(d)", "164.308(a)(5)(ii)(D)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
)
