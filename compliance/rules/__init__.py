"""The rule registry, discovered from the folders: one folder per rule, named <ID>_<slug>, holding
rule.py (which defines RULE), fixtures/ and the rule's own test_*.py. Adding a rule is adding a folder.

A folder whose name does not start with its rule's id, or a rule.py without a RULE, stops the load with a
RuleError naming the folder (prowler's check loader refuses a mismatch the same way). Families (ENC,
NET, ...) are the id prefixes found here; rules come in id order.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

from compliance.model import InputError, Rule, RuleError

HERE = Path(__file__).resolve().parent
FOLDER = re.compile(r"^(?P<id>[A-Z]{3}\d{3})_[a-z0-9_]+$")


def rule_folders(base: Path = HERE) -> dict[str, Path]:
    """Rule id -> its folder, for every folder named like a rule."""
    found: dict[str, Path] = {}
    for folder in sorted(base.iterdir()):
        match = FOLDER.match(folder.name)
        if folder.is_dir() and match:
            if match["id"] in found:
                raise RuleError(f"{folder.name}: rule id {match['id']} has two folders")
            found[match["id"]] = folder
    return found


def _load(rule_id: str, folder: Path, external: bool = False) -> Rule:
    if external:
        spec = importlib.util.spec_from_file_location(
            f"compliance_external.{folder.name}", folder / "rule.py"
        )
        if spec is None or spec.loader is None or not (folder / "rule.py").is_file():
            raise RuleError(f"{folder}: no rule.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(f"{__name__}.{folder.name}.rule")
    rule = getattr(module, "RULE", None)
    if not isinstance(rule, Rule):
        raise RuleError(f"{folder.name}/rule.py: defines no RULE")
    if rule.id != rule_id:
        raise RuleError(f"{folder.name}: folder names {rule_id} but its RULE is {rule.id}")
    return rule


RULES: tuple[Rule, ...] = tuple(_load(rule_id, folder) for rule_id, folder in rule_folders().items())
FAMILIES: tuple[str, ...] = tuple(sorted({rule.family for rule in RULES}))


def external_rules(base: Path, known: tuple[Rule, ...] = ()) -> tuple[Rule, ...]:
    """The rules of another folder laid out like ours (`--rules-dir`), validated the same way; a rule
    that fails to load, or reuses an id, is bad input naming the folder. Their rule.py imports from
    `compliance.*` only (the folder is not a package)."""
    if not base.is_dir():
        raise InputError(f"{base}: rules folder not found")
    taken = {rule.id for rule in known}
    loaded: list[Rule] = []
    try:
        for rule_id, folder in rule_folders(base).items():
            if rule_id in taken:
                raise RuleError(f"{folder.name}: rule id {rule_id} is already defined")
            loaded.append(_load(rule_id, folder, external=True))
    except (RuleError, ImportError, SyntaxError) as error:
        raise InputError(f"{base}: {type(error).__name__}: {error}") from error
    if not loaded:
        raise InputError(f"{base}: no rule folders (<ID>_<slug>/rule.py) found")
    return tuple(loaded)
