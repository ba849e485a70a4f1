"""EBS volumes are encrypted, by their own flag or by the account default of their region.

An aws_ebs_encryption_by_default (enabled) in the scan and in the volume's region encrypts every new volume
there, even one that says encrypted = false: such volumes pass, naming the default. A volume created from
a snapshot takes the snapshot's encryption, which the scan cannot read: UNKNOWN.
"""

from __future__ import annotations

from compliance.analysis.storage import ebs_encryption
from compliance.analysis.values import describe, is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status


def check(resource: Resource, model: Model) -> Result:
    snapshot = resource.values.get("snapshot_id")
    inherited = "" if is_set(snapshot) is Status.FAIL else f"snapshot_id {describe(snapshot)}"
    return ebs_encryption(resource.values.get("encrypted"), "", inherited, resource, model)


RULE = Rule(
    id="ENC019",
    title="EBS volume is encrypted",
    severity=Severity.HIGH,
    types=("aws_ebs_volume",),
    rationale="EBS volumes are unencrypted unless the volume or the account default says otherwise; their "
    "snapshots then copy the cleartext, and encryption cannot be added in place.",
    remediation="Set encrypted = true (and kms_key_id), or enable aws_ebs_encryption_by_default in the region.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
)
