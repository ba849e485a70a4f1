"""What each emulator cannot apply, by resource type, with the reason (reported in the tier's report).

LocalStack's community runtime lacks whole services (emulator.localstack.NOT_COVERED_SERVICES). moto
answers every service we use, but a few operations are not implemented in moto 5.2.5: the provider then
retries the 500 answers for many minutes, so those resources (and what depends on them) are left out.
"""

from __future__ import annotations

from collections.abc import Callable

from emulator.localstack import not_covered_service

MOTO_NOT_IMPLEMENTED: dict[str, str] = {
    "aws_backup_selection": "moto 5.2.5 has no Backup CreateBackupSelection",
    "aws_efs_backup_policy": "moto 5.2.5 has no EFS PutBackupPolicy",
    "aws_appautoscaling_target": "moto 5.2.5 has no Application Auto Scaling ListTagsForResource (read after create)",
    "aws_appautoscaling_policy": "moto 5.2.5: its scalable target cannot be applied (see aws_appautoscaling_target)",
    "aws_secretsmanager_secret_rotation": "moto 5.2.5 RotateSecret(RotateImmediately=false) fails with "
    "UnboundLocalError on a secret without a version",
}


def not_covered(backend: str) -> Callable[[str], str | None]:
    """resource type -> why `backend` cannot apply it, or None when it can."""
    if backend == "moto":
        return MOTO_NOT_IMPLEMENTED.get
    if backend == "localstack":

        def localstack(resource_type: str) -> str | None:
            service = not_covered_service(resource_type)
            return f"{service} is not in LocalStack's community runtime" if service else None

        return localstack
    raise ValueError(f"unknown emulator {backend!r}")
