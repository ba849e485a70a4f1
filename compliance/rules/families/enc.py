"""ENC rules (encryption at rest and in transit), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.ENC001_efs_encrypted.rule import RULE as ENC001

RULES: tuple[Rule, ...] = (ENC001,)
