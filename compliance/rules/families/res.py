"""RES rules (Canadian data residency), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.RES001_provider_region_canada.rule import RULE as RES001
from compliance.rules.RES002_s3_replication_canada.rule import RULE as RES002
from compliance.rules.RES003_backup_copy_canada.rule import RULE as RES003
from compliance.rules.RES004_kms_replica_canada.rule import RULE as RES004
from compliance.rules.RES005_dynamodb_replica_canada.rule import RULE as RES005
from compliance.rules.RES006_secret_replica_canada.rule import RULE as RES006
from compliance.rules.RES007_ecr_replication_canada.rule import RULE as RES007

RULES: tuple[Rule, ...] = (
    RES001,
    RES002,
    RES003,
    RES004,
    RES005,
    RES006,
    RES007,
)
