"""Launch templates encrypt the EBS volumes they map.

A mapping from a snapshot takes the snapshot's encryption (UNKNOWN); one without ebs.encrypted may be the
root device, which takes the AMI's (the template cannot tell which device is the root): UNKNOWN. Any other
"false" fails. A template with no mapping leaves the root volume to the AMI: UNKNOWN. The region's account
default (aws_ebs_encryption_by_default) counts as encryption.
"""

from __future__ import annotations

from collections.abc import Iterator

from compliance.analysis.results import combine
from compliance.analysis.storage import ebs_encryption
from compliance.analysis.values import blocks, describe, get, is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _mappings(resource: Resource, model: Model) -> Iterator[Result]:
    ami = f"the AMI {describe(resource.values.get('image_id'))}"
    mappings = blocks(resource.values, "block_device_mappings")
    if isinstance(mappings, Unknown):
        yield Result(Status.UNKNOWN, "block_device_mappings is not known before apply")
        return
    volumes = [m for m in mappings if isinstance(blocks(m, "ebs"), Unknown) or blocks(m, "ebs")]
    if not volumes:
        yield ebs_encryption(None, "no block_device_mappings: root volume ", ami, resource, model)
    for mapping in volumes:
        where = f"block_device_mappings {describe(mapping.get('device_name'))}: ebs."
        encrypted = get(mapping, "ebs.encrypted")
        snapshot = get(mapping, "ebs.snapshot_id")
        if is_set(snapshot) is not Status.FAIL:
            inherited = f"snapshot_id {describe(snapshot)}"
        elif encrypted is None or encrypted == "":
            inherited = f"{ami} if this is the root device"
        else:
            inherited = ""
        yield ebs_encryption(encrypted, where, inherited, resource, model)


def check(resource: Resource, model: Model) -> Result | None:
    return combine(_mappings(resource, model))


RULE = Rule(
    id="ENC021",
    title="Launch template encrypts its EBS volumes",
    severity=Severity.HIGH,
    types=("aws_launch_template",),
    rationale="Every instance an Auto Scaling group or ECS capacity provider launches inherits the "
    "template's block device mappings; an unencrypted mapping multiplies cleartext volumes.",
    remediation='Set ebs { encrypted = "true" } (and kms_key_id) in every block_device_mappings, including '
    "the root device, or enable aws_ebs_encryption_by_default in the region.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
)
