"""Hypothesis profiles, randomised and bounded by time: `ci` (make test; FUZZ_BUDGET_S, default 60 s for
the whole fuzz run) and `fuzz` (make fuzz; default 1800 s).

Each fuzz test runs in rounds of `max_examples` cases, round i seeded with FUZZ_SEED + i, until its equal
share of the budget is spent (at least one round). FUZZ_SEED is drawn anew each run unless set; it is
printed in the closing summary and recorded in the JUnit properties, and a failure names the seed of its
round, so `FUZZ_SEED=<that seed>` replays it first.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SEED = int(os.environ.get("FUZZ_SEED") or secrets.randbelow(2**32))
BUDGET_S = float(os.environ.get("FUZZ_BUDGET_S") or (1800 if PROFILE == "fuzz" else 60))

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# max_examples is the size of one round, not a total: the budget decides how many rounds run.
settings.register_profile(
    "ci", max_examples=20, deadline=None, suppress_health_check=SUPPRESSED, database=None
)
settings.register_profile(
    "fuzz", max_examples=200, deadline=None, suppress_health_check=SUPPRESSED, database=None
)
settings.load_profile(PROFILE)

CASES: Counter[str] = Counter()
ROUNDS: Counter[str] = Counter()
SHARE_S: list[float] = []  # the budget of one fuzz test, set at collection


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    fuzz = [item for item in items if getattr(getattr(item, "obj", None), "is_hypothesis_test", False)]
    SHARE_S[:] = [BUDGET_S / max(len(fuzz), 1)]
    for item in fuzz:  # the time limit follows the budget (a last round may start just before it ends)
        item.add_marker(pytest.mark.timeout(SHARE_S[0] + 300))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a Hypothesis test in seeded rounds until its share of the budget is spent."""
    test = pyfuncitem.obj
    if not getattr(test, "is_hypothesis_test", False):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    deadline = time.monotonic() + (SHARE_S[0] if SHARE_S else BUDGET_S)
    round_ = 0
    while round_ == 0 or time.monotonic() < deadline:
        test._hypothesis_internal_use_seed = SEED + round_  # what @hypothesis.seed sets
        try:
            test(**arguments)
        except BaseException as error:
            error.add_note(
                f"fuzz: this round's seed is {SEED + round_}: replay with FUZZ_SEED={SEED + round_}"
            )
            raise
        round_ += 1
    ROUNDS[pyfuncitem.name] = round_
    return True


@pytest.fixture(autouse=True, scope="session")
def _record_seed(record_testsuite_property: Callable[[str, object], None]) -> None:
    record_testsuite_property("fuzz_seed", SEED)
    record_testsuite_property("fuzz_budget_s", BUDGET_S)


@pytest.fixture
def count_case() -> Counter[str]:
    return CASES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CASES:
        total = sum(CASES.values())
        detail = ", ".join(f"{name} {count}" for name, count in sorted(CASES.items()))
        terminalreporter.write_line(
            f"fuzz ({PROFILE}): seed {SEED} (replay: FUZZ_SEED={SEED}), budget {BUDGET_S:.0f} s, "
            f"{sum(ROUNDS.values())} rounds, {total} cases ({detail})"
        )
