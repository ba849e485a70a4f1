"""Every seeded violation must be caught by its rule family, in HCL form and in plan form.

A mutant is killed when some finding of the expected family turns to FAIL that was not FAIL on the
unmutated input. A survivor is a rule (or loader) bug to fix, not a mutant to drop.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.runner import run_cli
from tests.mutation.conftest import KILLS
from tests.mutation.mutants import MUTANTS, Mutant

ROOT = Path(__file__).resolve().parents[2]
Statuses = dict[tuple[str, str], str]


def statuses(*args: str, out: Path) -> Statuses:
    outcome = run_cli("scan", *args, "--format", "json", "--output", str(out))
    assert outcome.code in (0, 1), outcome.stderr
    findings = json.loads(out.read_text())["findings"]
    return {(f["rule_id"], f["resource"]): f["status"] for f in findings}


def newly_failing(before: Statuses, after: Statuses, family: str) -> list[tuple[str, str]]:
    return sorted(
        key
        for key, status in after.items()
        if key[0].startswith(family) and status == "fail" and before.get(key) != "fail"
    )


@pytest.fixture(scope="module")
def hcl_baseline(tmp_path_factory: pytest.TempPathFactory) -> Statuses:
    return statuses(
        str(ROOT / "terraform" / "envs" / "staging"), out=tmp_path_factory.mktemp("base") / "o.json"
    )


@pytest.fixture(scope="module")
def plan_text(env_plans: dict[str, Path]) -> str:
    return env_plans["staging"].read_text()


@pytest.fixture(scope="module")
def plan_baseline(plan_text: str, tmp_path_factory: pytest.TempPathFactory) -> Statuses:
    work = tmp_path_factory.mktemp("planbase")
    (work / "plan.json").write_text(plan_text)
    return statuses("--plan", str(work / "plan.json"), out=work / "o.json")


def mutated_tree(mutant: Mutant, work: Path) -> Path:
    tree = work / "terraform"
    shutil.copytree(ROOT / "terraform", tree, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
    (work / ".git").mkdir()  # the scanned tree's boundary, as in a checkout
    for edit in mutant.edits:
        path = tree / edit.file
        text = path.read_text()
        # Layout is free (terraform fmt realigns '='), the tokens are not.
        pattern = r"\s+".join(re.escape(token) for token in edit.old.split())
        match = re.search(pattern, text)
        assert match, f"{mutant.id}: {edit.file} no longer contains {edit.old!r}"
        path.write_text(text[: match.start()] + edit.new.strip() + text[match.end() :])
    return tree / "envs" / "staging"


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_is_caught_in_hcl(mutant: Mutant, hcl_baseline: Statuses, tmp_path: Path) -> None:
    after = statuses(str(mutated_tree(mutant, tmp_path)), out=tmp_path / "o.json")
    caught = newly_failing(hcl_baseline, after, mutant.family)
    KILLS["hcl"][mutant.id] = bool(caught)
    assert caught, f"{mutant.id} survived in HCL form: no {mutant.family} finding turned to fail"


@pytest.mark.terraform
@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_is_caught_in_plan(
    mutant: Mutant, plan_text: str, plan_baseline: Statuses, tmp_path: Path
) -> None:
    plan: dict[str, Any] = copy.deepcopy(json.loads(plan_text))
    mutant.plan(plan)
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    after = statuses("--plan", str(tmp_path / "plan.json"), out=tmp_path / "o.json")
    caught = newly_failing(plan_baseline, after, mutant.family)
    KILLS["plan"][mutant.id] = bool(caught)
    assert caught, f"{mutant.id} survived in plan form: no {mutant.family} finding turned to fail"
