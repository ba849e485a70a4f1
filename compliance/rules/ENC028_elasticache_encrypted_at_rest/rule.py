"""ElastiCache (Valkey, Redis OSS) replication groups encrypt their disks, backups and swap.

When at_rest_encryption_enabled is unset the engine decides: Valkey encrypts by default, Redis OSS does
not.
"""

from __future__ import annotations

from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("at_rest_encryption_enabled")
    if value is not None and value != "":
        return Result(truth(value), f"at_rest_encryption_enabled is {describe(value)}")
    engine = resource.values.get("engine")
    if isinstance(engine, Unknown):
        return Result(Status.UNKNOWN, "at_rest_encryption_enabled is unset and the engine is not known")
    if engine == "valkey":
        return Result(Status.PASS, "at_rest_encryption_enabled is unset: Valkey encrypts at rest by default")
    return Result(
        Status.FAIL,
        f"at_rest_encryption_enabled is unset: engine {describe(engine or 'redis')} "
        "does not encrypt at rest by default",
    )


RULE = Rule(
    id="ENC028",
    title="ElastiCache replication group encrypts data at rest",
    severity=Severity.HIGH,
    types=("aws_elasticache_replication_group",),
    rationale="Caches hold sessions and recently read notes; Redis OSS writes them unencrypted to disk "
    "during sync, backup and swap, and into S3 backups, unless at-rest encryption was chosen at creation.",
    remediation="Set at_rest_encryption_enabled = true (and kms_key_id = aws_kms_key.<name>.arn) when "
    "creating the replication group.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
)
