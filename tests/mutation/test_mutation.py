"""Every rule has mutants of the real stack, and each is killed by THAT rule on its address.

HCL form: the mutant's edit in a copy of terraform/, the env root scanned in-process with only that rule.
Plan form: the mutants of an env, batched so that no two share an address or overlapping text, planned
for real (terraform plan against an embedded moto server, cached by the mutated tree's content), then the
plan and the HCL of its root scanned together: the plan's finding for the rule and address must FAIL.
Unmutated, the same rule must PASS (or say nothing) on that address, so the kill is the mutant's doing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from compliance.model import Finding, Status
from compliance.rules import RULES, rule_folders
from compliance.scan import configuration, scan
from tests.mutation.conftest import MISSING, PLAN_RUNS, record
from tests.mutation.mutants import FILE_NAME, Mutant, MutantFileError, applied, batches, load_file
from tests.mutation.plans import Planner
from tools.plan import PlanError

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "mutants" / "plans"
CONFIG = configuration([ROOT / "terraform" / "envs" / "staging"])  # the repository's own policy
RULE = {rule.id: rule for rule in RULES}
Statuses = dict[tuple[str, str], set[Status]]


def _collect() -> tuple[dict[str, tuple[Mutant, ...]], dict[str, str]]:
    found: dict[str, tuple[Mutant, ...]] = {}
    errors: dict[str, str] = {}
    for rule_id, folder in rule_folders().items():
        try:
            found[rule_id] = load_file(rule_id, folder / FILE_NAME, ROOT)
        except MutantFileError as error:
            errors[rule_id] = str(error)
    return found, errors


FOUND, ERRORS = _collect()
MUTANTS = [mutant for group in FOUND.values() for mutant in group]


def statuses(findings: tuple[Finding, ...]) -> Statuses:
    found: Statuses = {}
    for finding in findings:
        found.setdefault((finding.rule_id, finding.resource), set()).add(finding.status)
    return found


def verdict(found: Statuses, mutant: Mutant) -> str:
    """What the rule said on the mutant's address, e.g. 'fail', 'pass, unknown' or 'nothing'."""
    return ", ".join(sorted(s.value for s in found.get((mutant.rule_id, mutant.address), ()))) or "nothing"


def copy_repository(destination: Path) -> Path:
    """terraform/ of the repository (no state, provider caches or emulator overrides) under `destination`."""
    shutil.copytree(
        ROOT / "terraform",
        destination / "terraform",
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", "*.tfplan", "emulator_override.tf"),
    )
    (destination / ".git").mkdir()  # the scanned tree's boundary, as in a checkout
    return destination


@pytest.mark.parametrize("rule_id", sorted(rule_folders()))
def test_rule_has_mutants(rule_id: str) -> None:
    if rule_id in ERRORS:
        MISSING[rule_id] = ERRORS[rule_id]
    assert rule_id not in ERRORS, ERRORS.get(rule_id)
    assert rule_id in RULE, f"{rule_id}: folder without a registered rule"


# --- HCL form ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hcl_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("mutants-hcl"))


@pytest.fixture(scope="session")
def hcl_baseline(hcl_tree: Path) -> dict[str, Statuses]:
    envs = sorted({m.env for m in MUTANTS})
    roots = [hcl_tree / "terraform" / "envs" / env for env in envs]
    result = scan(paths=roots, config=CONFIG)
    return {env: statuses(result.result_of(root).findings) for env, root in zip(envs, roots, strict=True)}


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_killed_in_hcl(mutant: Mutant, hcl_tree: Path, hcl_baseline: dict[str, Statuses]) -> None:
    before = verdict(hcl_baseline[mutant.env], mutant)
    assert before in ("pass", "nothing"), f"{mutant.id}: unmutated, {mutant.address} is already {before}"
    root = hcl_tree / "terraform" / "envs" / mutant.env
    with applied(hcl_tree, [mutant]):
        after = verdict(
            statuses(scan(paths=[root], rules=[RULE[mutant.rule_id]], config=CONFIG).findings), mutant
        )
    record(mutant.id, "hcl", "fail" in after.split(", "))
    assert "fail" in after.split(", "), f"{mutant.id} survived in HCL form: {mutant.address} is {after}"


# --- plan form -----------------------------------------------------------------------------------------


class PlanBatches:
    """The plan-form verdicts, one batch planned (and scanned) the first time one of its mutants asks."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.batch_of: dict[str, tuple[str, list[Mutant]]] = {}
        for env in sorted({m.env for m in MUTANTS}):
            for number, group in enumerate(batches(m for m in MUTANTS if m.env == env), start=1):
                for mutant in group:
                    self.batch_of[mutant.id] = (f"{env} batch {number}", group)
        self.done: dict[str, Statuses | str] = {}  # batch label -> verdicts, or the plan's error

    def verdict(self, mutant: Mutant) -> str:
        label, group = self.batch_of[mutant.id]
        if label not in self.done:
            self.done[label] = self._run(label, group, mutant.env)
        found = self.done[label]
        if isinstance(found, str):
            pytest.fail(f"{mutant.id}: the plan of {label} failed: {found}")
        return verdict(found, mutant)

    def _run(self, label: str, group: list[Mutant], env: str) -> Statuses | str:
        tree = self.planner.tree
        root = tree / "terraform" / "envs" / env
        with applied(tree, group):
            try:
                plan = self.planner.plan(env, label)
            except PlanError as error:
                return str(error)[-4000:]
            result = scan(paths=[root], plans=[plan], config=CONFIG)
        return statuses(result.result_of(plan).findings)


@pytest.fixture(scope="session")
def plan_batches(
    tmp_path_factory: pytest.TempPathFactory, terraform_env: dict[str, str]
) -> Iterator[PlanBatches]:
    work = tmp_path_factory.mktemp("mutants-plan")
    with ExitStack() as resources:
        batches = PlanBatches(Planner(copy_repository(work / "repo"), CACHE, work, resources, PLAN_RUNS))
        yield batches
        if set(batches.done) == {label for label, _ in batches.batch_of.values()}:
            batches.planner.prune()  # a full run keeps only the plans of today's mutants


@pytest.fixture(scope="session")
def plan_baseline(env_plans: dict[str, Path]) -> dict[str, Statuses]:
    found: dict[str, Statuses] = {}
    for env, plan in env_plans.items():
        result = scan(paths=[ROOT / "terraform" / "envs" / env], plans=[plan], config=CONFIG)
        found[env] = statuses(result.result_of(plan).findings)
    return found


@pytest.mark.terraform
@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_killed_in_plan(
    mutant: Mutant, plan_batches: PlanBatches, plan_baseline: dict[str, Statuses]
) -> None:
    before = verdict(plan_baseline[mutant.env], mutant)
    assert before in ("pass", "nothing"), f"{mutant.id}: unmutated plan, {mutant.address} is already {before}"
    after = plan_batches.verdict(mutant)
    record(mutant.id, "plan", "fail" in after.split(", "))
    assert "fail" in after.split(", "), f"{mutant.id} survived in plan form: {mutant.address} is {after}"
