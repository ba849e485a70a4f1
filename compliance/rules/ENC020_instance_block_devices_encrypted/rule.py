"""EC2 instances encrypt their root and attached EBS volumes.

The root volume takes the AMI snapshot's encryption unless root_block_device says encrypted = true. A root
that does not ask for encryption, with no account default, FAILS (it was UNKNOWN before issue 18): nothing
in the configuration ensures it, the AMI can be swapped for an unencrypted one without touching this
resource, and the fix is one line here. An ebs_block_device without a snapshot is a new, empty volume,
unencrypted unless it says so. The region's account default (aws_ebs_encryption_by_default) counts.
"""

from __future__ import annotations

from collections.abc import Iterator

from compliance.analysis.results import combine
from compliance.analysis.storage import ebs_encryption
from compliance.analysis.values import blocks, describe, is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _devices(resource: Resource, model: Model) -> Iterator[Result]:
    ami = f"the AMI {describe(resource.values.get('ami'))}"
    template = blocks(resource.values, "launch_template")
    if isinstance(template, Unknown) or template:
        ami = f"its launch template's root mapping or {ami}"
    root = blocks(resource.values, "root_block_device")
    if isinstance(root, Unknown):
        yield ebs_encryption(root, "root_block_device: ", "", resource, model)
    else:
        where = "root_block_device: " if root else "root_block_device (undeclared): "
        found = ebs_encryption(root[0].get("encrypted") if root else None, where, "", resource, model)
        if found.status is Status.FAIL:
            found = Result(
                Status.FAIL, f"{found.message}: nothing ensures the root volume is encrypted ({ami} decides)"
            )
        yield found
    devices = blocks(resource.values, "ebs_block_device")
    if isinstance(devices, Unknown):
        yield Result(Status.UNKNOWN, "ebs_block_device is not known before apply")
        return
    for device in devices:
        snapshot = device.get("snapshot_id")
        inherited = "" if is_set(snapshot) is Status.FAIL else f"snapshot_id {describe(snapshot)}"
        where = f"ebs_block_device {describe(device.get('device_name'))}: "
        yield ebs_encryption(device.get("encrypted"), where, inherited, resource, model)


def check(resource: Resource, model: Model) -> Result | None:
    return combine(_devices(resource, model))


RULE = Rule(
    id="ENC020",
    title="EC2 instance encrypts its root and EBS block devices",
    severity=Severity.HIGH,
    types=("aws_instance",),
    rationale="Instance volumes hold application data, caches and swap. Most public AMIs have unencrypted "
    "snapshots, so a root volume that does not ask for encryption is usually cleartext, and so is every new "
    "EBS device without encrypted = true. Decision (issue 18): a root volume left to the AMI, with no "
    "account-level EBS default, fails rather than stays unknown: a HIPAA gate needs the configuration to "
    "ensure encryption, the AMI can change without this resource changing, and the fix is one line.",
    remediation="Declare root_block_device { encrypted = true } and encrypted = true on every "
    "ebs_block_device, or enable aws_ebs_encryption_by_default in the region.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
)
