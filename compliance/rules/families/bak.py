"""BAK rules (backup and recovery), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.BAK001_efs_backup.rule import RULE as BAK001
from compliance.rules.BAK002_s3_versioning.rule import RULE as BAK002
from compliance.rules.BAK003_secret_recovery_window.rule import RULE as BAK003
from compliance.rules.BAK004_rds_backup_retention.rule import RULE as BAK004
from compliance.rules.BAK005_backup_plan_lifecycle.rule import RULE as BAK005
from compliance.rules.BAK006_database_deletion_protection.rule import RULE as BAK006

RULES: tuple[Rule, ...] = (BAK001, BAK002, BAK003, BAK004, BAK005, BAK006)
