"""RES rules, in id order."""

from __future__ import annotations

from compliance.model import Rule

RULES: tuple[Rule, ...] = ()
