"""The rule registry, discovered from the folders: one folder per rule, named <ID>_<slug>, holding
rule.py (which defines RULE), fixtures/ and the rule's own test_*.py. Adding a rule is adding a folder.

A folder whose name does not start with its rule's id, or a rule.py without a RULE, stops the load with a
RuleError naming the folder (prowler's check loader refuses a mismatch the same way). Families (ENC,
NET, ...) are the id prefixes found here; rules come in id order.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from compliance.model import Rule, RuleError

HERE = Path(__file__).resolve().parent
FOLDER = re.compile(r"^(?P<id>[A-Z]{3}\d{3})_[a-z0-9_]+$")


def rule_folders() -> dict[str, Path]:
    """Rule id -> its folder, for every folder named like a rule."""
    found: dict[str, Path] = {}
    for folder in sorted(HERE.iterdir()):
        match = FOLDER.match(folder.name)
        if folder.is_dir() and match:
            if match["id"] in found:
                raise RuleError(f"{folder.name}: rule id {match['id']} has two folders")
            found[match["id"]] = folder
    return found


def _load(rule_id: str, folder: Path) -> Rule:
    module = importlib.import_module(f"{__name__}.{folder.name}.rule")
    rule = getattr(module, "RULE", None)
    if not isinstance(rule, Rule):
        raise RuleError(f"{folder.name}/rule.py: defines no RULE")
    if rule.id != rule_id:
        raise RuleError(f"{folder.name}: folder names {rule_id} but its RULE is {rule.id}")
    return rule


RULES: tuple[Rule, ...] = tuple(_load(rule_id, folder) for rule_id, folder in rule_folders().items())
FAMILIES: tuple[str, ...] = tuple(sorted({rule.family for rule in RULES}))
