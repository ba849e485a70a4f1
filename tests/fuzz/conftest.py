"""Hypothesis profiles: `ci` (a few hundred cases in make test) and `fuzz` (make fuzz, many thousands)."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None, suppress_health_check=SUPPRESSED, database=None
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=SUPPRESSED, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CASES: Counter[str] = Counter()


@pytest.fixture
def count_case() -> Counter[str]:
    return CASES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CASES:
        total = sum(CASES.values())
        detail = ", ".join(f"{name} {count}" for name, count in sorted(CASES.items()))
        terminalreporter.write_line(f"fuzz: {total} cases ran ({detail})")
