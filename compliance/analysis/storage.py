"""Encryption of stored volumes: EFS volumes of task definitions, EBS volumes and devices (with the
account-wide EBS default), and database storage copied from a source database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis import references
from compliance.analysis.values import blocks, describe, get, is_set, truth
from compliance.model import Model, Resource, Result, Status, Unknown


def efs_volumes(resource: Resource) -> Iterator[tuple[str, Mapping[str, Any] | Unknown]]:
    """(label, efs_volume_configuration) of every EFS volume of a task definition, labelled for
    messages ("volume 'data'"); an unknown volume list or configuration comes back as Unknown."""
    volumes = blocks(resource.values, "volume")
    if isinstance(volumes, Unknown):
        yield "volume", volumes
        return
    for volume in volumes:
        configs = blocks(volume, "efs_volume_configuration")
        label = f"volume {describe(volume.get('name'))}"
        yield from ((label, config) for config in ([configs] if isinstance(configs, Unknown) else configs))


def ebs_default(resource: Resource, model: Model) -> Result | None:
    """An aws_ebs_encryption_by_default in the resource's region encrypts every new volume there,
    whatever the volume says: PASS when one is enabled, UNKNOWN when that cannot be told, else None."""
    for default in model.of_type("aws_ebs_encryption_by_default"):
        same_region = default.region == resource.region
        enabled = truth(default.values.get("enabled", True))
        if isinstance(default.region, Unknown) or isinstance(resource.region, Unknown):
            if enabled is not Status.FAIL:
                return Result(Status.UNKNOWN, f"{default.address} may apply, but the region is unknown")
        elif same_region and enabled is Status.PASS:
            return Result(Status.PASS, f"encrypted by the account default {default.address}")
        elif same_region and enabled is Status.UNKNOWN:
            return Result(Status.UNKNOWN, f"{default.address} enabled is not known before apply")
    return None


# Where a database copies its storage from (replica, snapshot or point-in-time restore): unless it says
# otherwise, a copy keeps its source's encryption and key.
COPY_SOURCES = {
    "aws_db_instance": (
        "replicate_source_db",
        "snapshot_identifier",
        "restore_to_point_in_time.source_db_instance_identifier",
    ),
    "aws_rds_cluster": (
        "snapshot_identifier",
        "replication_source_identifier",
        "restore_to_point_in_time.source_cluster_identifier",
    ),
    "aws_neptune_cluster": ("snapshot_identifier", "replication_source_identifier"),
    "aws_docdb_cluster": ("snapshot_identifier", "restore_to_point_in_time.source_cluster_identifier"),
}
# The attribute by which a source database of each type is named.
_IDENTIFIER = {"aws_db_instance": "identifier"}


def copy_source(resource: Resource, model: Model) -> tuple[str, Resource | None] | None:
    """What a database copies: (description, the scanned source database or None), or None for a new,
    empty database."""
    for attribute in COPY_SOURCES.get(resource.type, ()):
        value = get(resource.values, attribute)
        if is_set(value) is Status.FAIL:
            continue
        key = _IDENTIFIER.get(resource.type, "cluster_identifier")
        for found in model.of_type(resource.type):
            if found is not resource and references.names(value, found, model, (key,)):
                return f"{attribute} {found.address}", found
        return f"{attribute} {describe(value)}", None
    return None


def storage_encrypted(resource: Resource, model: Model) -> Result:
    """storage_encrypted of a database; a copy whose flag is not true takes its source's encryption,
    so the source decides: judged here when scanned, UNKNOWN otherwise."""
    value = resource.values.get("storage_encrypted")
    status = truth(value)
    if status is Status.PASS:
        return Result(status, "storage_encrypted is true")
    if status is Status.UNKNOWN:
        return Result(status, "storage_encrypted is not known before apply")
    copied = copy_source(resource, model)
    if copied is None:
        return Result(Status.FAIL, f"storage_encrypted is {describe(value)}")
    where, source = copied
    if source is None:
        return Result(
            Status.UNKNOWN,
            f"storage_encrypted is {describe(value)} but the storage is a copy of {where}, "
            "whose encryption this scan cannot read",
        )
    inner = storage_encrypted(source, model)
    return Result(inner.status, f"a copy of {where}: {inner.message}")


def ebs_encryption(encrypted: Any, where: str, inherited: str, resource: Resource, model: Model) -> Result:
    """`encrypted` of one EBS volume or device (`where` prefixes the message). `inherited` names the
    snapshot or AMI whose encryption an unencrypted flag defers to ('' for a new, empty volume)."""
    status = truth(encrypted)
    if status is Status.PASS:
        return Result(status, f"{where}encrypted is true")
    default = ebs_default(resource, model)
    if default is not None and default.status is Status.PASS:
        return Result(default.status, f"{where}{default.message}")
    if status is Status.UNKNOWN:
        return Result(status, f"{where}encrypted is not known before apply")
    if default is not None:
        return Result(default.status, f"{where}{default.message}")
    if inherited:
        return Result(
            Status.UNKNOWN,
            f"{where}encrypted is {describe(encrypted)}: the volume takes the "
            f"encryption of {inherited}, which the scan cannot read",
        )
    return Result(Status.FAIL, f"{where}encrypted is {describe(encrypted)} and no account default applies")
