"""Helpers of the Neo4j restore test: the archive, the variable file that enables the restore, and what the
emulator recorded."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

from tests.integration.pipeline import Pipeline

RECORD = "module.stack.module.neo4j.terraform_data.restore[0]"
SCRIPT = (
    Path(__file__).resolve().parents[2] / "terraform" / "modules" / "neo4j" / "scripts" / "restore_task.sh"
)


def archive(marker: str) -> bytes:
    """A small Neo4j data volume (tar.gz) with a marker file naming its version."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        payload = f"restored-from-backup {marker}\n".encode()
        info = tarfile.TarInfo("data/databases/neo4j/RESTORE_MARKER")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def enable_restore(workdir: Path, endpoint_url: str, version_id: str) -> Path:
    """A var file turning the restore on against the emulator for one object version; `wait` off since
    emulated tasks never stop. The version is pinned because moto refuses the plan-time HeadObject (see
    quirks.MOTO_TLS_POLICY_REASON)."""
    neo4j_restore = {"enabled": True, "endpoint_url": endpoint_url, "wait": False, "version_id": version_id}
    path = workdir / "restore.tfvars.json"
    path.write_text(json.dumps({"neo4j_restore": neo4j_restore}, indent=1))
    return path


def upload(s3: Any, bucket: str, key: str, body: bytes) -> str:
    """Put the backup object; return its version id. moto applies the bucket's TLS-only Deny without its
    condition, so the policy is lifted for the upload and the same document put back."""
    policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    s3.delete_bucket_policy(Bucket=bucket)
    try:
        answer = s3.put_object(Bucket=bucket, Key=key, Body=body)
    finally:
        s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    return str(answer["VersionId"])


def record(applied: Pipeline) -> dict[str, Any] | None:
    """The restore's terraform_data values in the current state (its id changes only when it reruns)."""
    state = applied.terraform.json("show", "-json")
    for module in _modules(state.get("values", {}).get("root_module", {})):
        for item in module.get("resources", ()):
            if item.get("address") == RECORD:
                values: dict[str, Any] = item.get("values") or {}
                return {"id": values.get("id"), "triggers_replace": _triggers(values.get("triggers_replace"))}
    return None


def _triggers(value: Any) -> dict[str, Any]:
    return value.get("value", value) if isinstance(value, dict) and "type" in value else dict(value or {})


def _modules(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = [module]
    for child in module.get("child_modules", ()):
        found += _modules(child)
    return found


def launched(aws: Any, cluster: str, task_definition: str) -> int:
    """How many tasks of the restore task definition the emulator's ECS recorded (running or stopped)."""
    ecs = aws("ecs")
    arns: set[str] = set()
    for status in ("RUNNING", "STOPPED"):
        arns |= set(ecs.list_tasks(cluster=cluster, desiredStatus=status).get("taskArns") or ())
    if not arns:
        return 0
    tasks = ecs.describe_tasks(cluster=cluster, tasks=sorted(arns)).get("tasks") or []
    return sum(1 for task in tasks if task.get("taskDefinitionArn") == task_definition)
