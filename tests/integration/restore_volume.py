"""Helpers of the real restore round trip: the restore task exactly as the staging env defines it, run on
this machine against moto's S3 and a local folder standing for the EFS volume.

The task definition comes from the project's own HCL loader over terraform/envs/staging, so the command
(`/bin/sh -c <restore_task.sh>`) and its environment (BACKUP_BUCKET, BACKUP_KEY) are what ECS would be
given; only DATA_DIR (the volume's mount point), the object version and the emulator endpoint are added.
The AWS CLI is the PyPI awscli (v1) in the project's venv; the task's image carries AWS CLI v2, and both
speak the same `aws s3api get-object`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.loaders.hcl import load_hcl
from compliance.model import Unknown
from emulator.moto import FAKE_CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "terraform" / "envs" / "staging"
TASK = "module.stack.module.neo4j.module.restore.aws_ecs_task_definition.this"
BUCKET = "module.stack.module.backup_bucket.aws_s3_bucket.this"


@dataclass(frozen=True)
class RestoreTask:
    """The restore container as ECS runs it."""

    argv: tuple[str, ...]
    environment: dict[str, str]
    mount_path: str
    bucket: str

    @property
    def key(self) -> str:
        return self.environment["BACKUP_KEY"]


def restore_task(env_root: Path = STAGING) -> RestoreTask:
    """The restore task definition's container and the backup bucket of `env_root`, evaluated from HCL."""
    resources = {r.address: r.values for r in load_hcl([env_root], root=ROOT)}
    definitions: Any = resources[TASK]["container_definitions"]
    if isinstance(definitions, str):
        definitions = json.loads(definitions)
    (container,) = definitions
    bucket = str(resources[BUCKET]["bucket"])
    environment = {item["name"]: _known(item["value"], bucket) for item in container["environment"]}
    (mount,) = container["mountPoints"]
    return RestoreTask(
        argv=(*container["entryPoint"], *container["command"]),
        environment=environment,
        mount_path=mount["containerPath"],
        bucket=bucket,
    )


def _known(value: Any, bucket: str) -> str:
    """A task environment value; the backup bucket's id is known only after apply, and is its name."""
    if isinstance(value, Unknown) and value.refs == (BUCKET,):
        return bucket
    if not isinstance(value, str):
        raise ValueError(f"the restore task's environment holds {value!r}: cannot run it statically")
    return value


def run_task(
    task: RestoreTask, volume: Path, endpoint_url: str, version: str, *, force: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the task's command with its environment, the volume at `volume` instead of its mount path."""
    venv_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(volume.parent),
        "TMPDIR": str(volume.parent),
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint_url,
        **task.environment,
        "BACKUP_VERSION": version,
        "RESTORE_FORCE": "true" if force else "false",
        "DATA_DIR": str(volume),
    }
    return subprocess.run(list(task.argv), env=env, capture_output=True, text=True, timeout=300, check=False)


def data_archive(data_dir: Path) -> bytes:
    """The backup as the seed describes it: a tar.gz of the Neo4j data directory (its entries at the root)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for child in sorted(data_dir.iterdir()):
            tar.add(child, arcname=child.name)
    return buffer.getvalue()


def not_a_data_directory() -> bytes:
    """A valid tar.gz that holds no Neo4j store."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        payload = b"not a store\n"
        info = tarfile.TarInfo("notes/readme.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def snapshot(directory: Path) -> dict[str, str]:
    """Every file below `directory` with the sha256 of its content, to prove it was left as it was."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def create_backup_bucket(s3: Any, kms: Any, bucket: str) -> None:
    """The backup bucket as the s3_bucket module makes it, as far as a restore reads it: versioned and
    encrypted with a customer-managed KMS key (its TLS-only policy is left out: moto enforces the Deny
    without its aws:SecureTransport condition, see quirks.MOTO_TLS_POLICY_REASON)."""
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    key_id = kms.create_key(Description="neo4j backups (test)")["KeyMetadata"]["KeyId"]
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}
            ]
        },
    )


def upload(s3: Any, bucket: str, key: str, body: bytes) -> str:
    """Put a new version of the backup object; its version id."""
    return str(s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"])
