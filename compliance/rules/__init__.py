"""The rule registry: an explicit tuple, one folder per rule, no import side effects."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.families.bak import RULES as BAK
from compliance.rules.families.enc import RULES as ENC
from compliance.rules.families.iam import RULES as IAM
from compliance.rules.families.log import RULES as LOG
from compliance.rules.families.net import RULES as NET
from compliance.rules.families.res import RULES as RES
from compliance.rules.families.sec import RULES as SEC

RULES: tuple[Rule, ...] = ENC + NET + RES + IAM + LOG + BAK + SEC
