"""ElastiCache replication groups accept only TLS connections.

transit_encryption_mode "preferred" (a migration state) still accepts cleartext clients, so it fails;
unset with transit encryption on means "required".
"""

from __future__ import annotations

from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result:
    enabled = resource.values.get("transit_encryption_enabled")
    status = truth(enabled)
    if status is not Status.PASS:
        return Result(status, f"transit_encryption_enabled is {describe(enabled)} (default false)")
    mode = resource.values.get("transit_encryption_mode")
    if isinstance(mode, Unknown):
        return Result(Status.UNKNOWN, "transit_encryption_mode is not known before apply")
    if mode == "preferred":
        return Result(
            Status.FAIL, "transit_encryption_mode is 'preferred': cleartext clients are still accepted"
        )
    return Result(Status.PASS, f"transit_encryption_enabled is true, mode {describe(mode or 'required')}")


RULE = Rule(
    id="ENC029",
    title="ElastiCache replication group accepts only encrypted connections",
    severity=Severity.HIGH,
    types=("aws_elasticache_replication_group",),
    rationale="Application nodes read and write cached health data over the network; without transit "
    "encryption, or in the 'preferred' migration mode, that traffic can be cleartext.",
    remediation='Set transit_encryption_enabled = true and transit_encryption_mode = "required" (or leave the '
    "mode unset).",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
)
