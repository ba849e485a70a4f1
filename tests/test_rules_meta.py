"""The registry and the catalogues agree: ids, folders, metadata and control mapping in both directions.

Families and the id form come from the code (the folders, model.RULE_ID), never from a list kept here.
"""

from __future__ import annotations

import dataclasses

import pytest

from compliance.frameworks import catalog, mode, rules_for
from compliance.model import RULE_ID, Rule, RuleError, Severity
from compliance.rules import FAMILIES, RULES, rule_folders


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not RULE_ID.match(i)] == []


def test_every_family_has_rules() -> None:
    assert {rule.family for rule in RULES} == set(FAMILIES)
    assert set(FAMILIES) == {rule_id[:3] for rule_id in rule_folders()}


def test_folders_match_registry() -> None:
    folders = rule_folders()
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


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"id": "ENC1"}, "family prefix and three digits"),
        ({"id": "enc001"}, "family prefix and three digits"),
        ({"title": "Ensure EFS is encrypted"}, "title must state the good state"),
        ({"title": "EFS is encrypted."}, "title must state the good state"),
        ({"severity": "urgent"}, "severity 'urgent' is not one of"),
        ({"remediation": " "}, "rationale and remediation are required"),
        ({"types": ()}, "types must name at least one resource type"),
        ({"controls": {"HIPAA": ()}}, "controls must map at least one control"),
        ({"controls": {"HIPAA": ("164.999",)}}, "controls not in the catalogue: HIPAA 164.999"),
        ({"controls": {"SOX": ("404",)}}, "controls not in the catalogue: SOX 404"),
    ],
)
def test_a_malformed_rule_is_refused_when_built(change: dict[str, object], complaint: str) -> None:
    with pytest.raises(RuleError, match=complaint):
        dataclasses.replace(RULES[0], **change)  # type: ignore[arg-type]


def test_a_well_formed_rule_builds() -> None:
    rule = dataclasses.replace(RULES[0], id="ZZZ999", severity=Severity.LOW)
    assert rule.family == "ZZZ"


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
    """The mode is derived from the rules; a control no rule automates must name who attests it, and a
    control a rule automates must not (its attester would be stale)."""
    for framework in catalog():
        for control in framework.controls:
            covered = rules_for(control, RULES)
            if mode(control, RULES) == "automated":
                assert covered, f"{framework.name} {control.id} is automated but no rule maps to it"
                assert not control.attested_by, f"{control.id} is automated but names an attester"
            else:
                assert mode(control, RULES) == "manual", control
                assert control.attested_by, f"{control.id} is manual without an attester"
                assert not covered, f"{control.id} is manual but rules {covered} map to it"
