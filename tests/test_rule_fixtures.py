"""Every rule over its own fixtures, in HCL and in plan form, comparing whole sets of findings.

A fixture resource says what it expects by its name: pass_*, fail_*, unknown_* (for providers, by alias).
Every resource of the rule's types that the rule evaluates must carry such a name, and each must get
exactly that status: a missing finding and an extra finding both fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.loaders.plan import load_plan
from compliance.model import Model, Resource, Rule, Status
from compliance.rules import RULES
from tests.support.fixture_plan import build_plan, fixture_dirs, module_name

RULES_DIR = Path(__file__).resolve().parents[1] / "compliance" / "rules"
PREFIXES = {"pass_": Status.PASS, "fail_": Status.FAIL, "unknown_": Status.UNKNOWN}
FIXTURES = fixture_dirs(RULES_DIR)
WITH_FIXTURES = [rule for rule in RULES if rule.id in FIXTURES]


def expectation(resource: Resource) -> Status | None:
    label = str(resource.values.get("alias", "")) if resource.mode == "provider" else resource.name
    for prefix, status in PREFIXES.items():
        if label.startswith(prefix):
            return status
    return None


def compare(rule: Rule, resources: tuple[Resource, ...], strip: str = "") -> None:
    got = {(f.resource.removeprefix(strip), f.status) for f in run([rule], Model(resources))}
    expected = set()
    for resource in resources:
        status = expectation(resource)
        if status is not None and resource.type in rule.types:
            expected.add((resource.address.removeprefix(strip), status))
    assert got == expected, f"missing: {sorted(expected - got)}; unexpected: {sorted(got - expected)}"
    assert {status for _, status in expected} >= {Status.PASS, Status.FAIL}, "fixtures need pass_ and fail_"


def test_every_rule_has_fixtures() -> None:
    assert [rule.id for rule in RULES if rule.id not in FIXTURES] == []


@pytest.mark.parametrize("rule", WITH_FIXTURES, ids=lambda rule: rule.id)
def test_rule_on_hcl_fixtures(rule: Rule) -> None:
    compare(rule, load_hcl([FIXTURES[rule.id]]))


@pytest.fixture(scope="session")
def fixture_plan(repo_root: Path, terraform_env: dict[str, str]) -> tuple[Resource, ...]:
    return load_plan(build_plan(FIXTURES, repo_root / "build" / "fixture-plan", terraform_env))


@pytest.mark.terraform
@pytest.mark.parametrize("rule", WITH_FIXTURES, ids=lambda rule: rule.id)
def test_rule_on_plan_fixtures(rule: Rule, fixture_plan: tuple[Resource, ...]) -> None:
    prefix = f"module.{module_name(rule.id)}."
    mine = tuple(r for r in fixture_plan if r.address.startswith(prefix))
    assert mine, f"no planned resources under {prefix}"
    compare(rule, mine, strip=prefix)
