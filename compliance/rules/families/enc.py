"""ENC rules (encryption at rest and in transit), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.ENC001_efs_encrypted.rule import RULE as ENC001
from compliance.rules.ENC002_ecs_efs_transit_encryption.rule import RULE as ENC002
from compliance.rules.ENC003_ecs_efs_access_point_iam.rule import RULE as ENC003

RULES: tuple[Rule, ...] = (ENC001, ENC002, ENC003)
