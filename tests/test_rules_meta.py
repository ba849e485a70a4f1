"""The registry and the catalogues agree: ids, folders, metadata and control mapping in both directions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.frameworks import catalog, rules_for
from compliance.model import Rule
from compliance.rules import RULES

RULES_DIR = Path(__file__).resolve().parents[1] / "compliance" / "rules"
ID = re.compile(r"^(ENC|NET|RES|IAM|LOG|BAK|SEC)\d{3}$")
FAMILIES = ("ENC", "NET", "RES", "IAM", "LOG", "BAK", "SEC")


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not ID.match(i)] == []


def test_every_family_has_rules() -> None:
    assert {rule.family for rule in RULES} == set(FAMILIES)


def test_folders_match_registry() -> None:
    folders = {p.name.split("_", 1)[0]: p for p in RULES_DIR.iterdir() if ID.match(p.name.split("_", 1)[0])}
    assert sorted(folders) == sorted(rule.id for rule in RULES)
    for rule in RULES:
        module = rule.check.__module__
        assert module == f"compliance.rules.{folders[rule.id].name}.rule", rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_metadata(rule: Rule) -> None:
    assert rule.title and not rule.title.lower().startswith("ensure"), rule.title
    assert rule.title[0].isupper() and not rule.title.endswith(".")
    assert rule.rationale.strip() and rule.remediation.strip()
    assert rule.types and all(t for t in rule.types)
    assert rule.controls and all(rule.controls.values())


def test_rule_controls_exist_in_catalog() -> None:
    known = {(c.framework, c.id) for f in catalog() for c in f.controls}
    missing = [
        (rule.id, framework, control)
        for rule in RULES
        for framework, controls in rule.controls.items()
        for control in controls
        if (framework, control) not in known
    ]
    assert missing == []


def test_every_control_is_automated_or_manual() -> None:
    for framework in catalog():
        for control in framework.controls:
            covered = rules_for(control, RULES)
            if control.mode == "automated":
                assert covered, f"{framework.name} {control.id} is automated but no rule maps to it"
            else:
                assert control.mode == "manual", control
                assert control.attested_by, f"{control.id} is manual without an attester"
                assert not covered, f"{control.id} is manual but rules {covered} map to it"
