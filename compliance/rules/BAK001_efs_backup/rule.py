"""EFS file systems are backed up: an ENABLED backup policy or an AWS Backup selection covering them."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from compliance.analysis.references import companions
from compliance.analysis.values import blocks, get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _tagged(selection: Resource, efs: Resource) -> bool | None:
    """Whether a selection_tag block picks the file system by its tags."""
    tags = efs.values.get("tags")
    chosen = blocks(selection.values, "selection_tag")
    if isinstance(chosen, Unknown) or isinstance(tags, Unknown):
        return None
    mapping: Mapping[str, Any] = tags if isinstance(tags, Mapping) else {}
    return any(mapping.get(str(t.get("key"))) == t.get("value") for t in chosen if t.get("key") is not None)


def _selected(selection: Resource, efs: Resource, model: Model) -> bool | None:
    listed = selection.values.get("resources")
    doubtful = False
    entries = listed if isinstance(listed, list | tuple) else [] if listed is None else [listed]
    for entry in entries:
        if isinstance(entry, Unknown):
            hit = [r.address for ref in entry.refs for r in model.resolve(ref)]
            if efs.address in hit:
                return True
            doubtful |= not hit
        elif isinstance(entry, str) and fnmatchcase(
            "arn:aws:elasticfilesystem:ca-central-1:111122223333:file-system/fs-0", entry
        ):
            return True  # "*" or a wildcard over every file system
    tagged = _tagged(selection, efs)
    return True if tagged else (None if doubtful or tagged is None else False)


def check(resource: Resource, model: Model) -> Result:
    doubtful = False
    disabled = ""
    for policy, named in companions(resource, model, "aws_efs_backup_policy", "file_system_id"):
        status = get(policy.values, "backup_policy.status")
        if named is None or isinstance(status, Unknown):
            doubtful = True
        elif status == "ENABLED":
            return passed(f"backup policy {policy.address} is ENABLED")
        else:
            disabled = f"backup policy {policy.address} has status {status!r}; "
    for selection in model.of_type("aws_backup_selection"):
        chosen = _selected(selection, resource, model)
        if chosen:
            return passed(f"AWS Backup selection {selection.address} includes it")
        doubtful |= chosen is None
    if doubtful:
        return unknown("a backup policy or selection may cover it but is not known before apply")
    return failed(disabled + "no ENABLED aws_efs_backup_policy and no aws_backup_selection includes it")


RULE = Rule(
    id="BAK001",
    title="EFS file systems are backed up",
    severity=Severity.HIGH,
    types=("aws_efs_file_system",),
    rationale=(
        "EFS holds the Neo4j graph of clinical data. File systems created through the API have automatic "
        "backups off unless a backup policy or an AWS Backup plan selects them; without one a deletion or "
        "corruption cannot be restored."
    ),
    remediation="Add aws_efs_backup_policy { file_system_id = aws_efs_file_system.x.id, backup_policy { status "
    '= "ENABLED" } } or include the file system\'s ARN in an aws_backup_selection.',
    controls={
        "HIPAA": ("164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.312(c)(1)"),
        "PIPEDA": ("4.7.1",),
    },
    check=check,
    help_uri="https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html",
)
