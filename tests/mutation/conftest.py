"""The mutation report: rule -> mutant -> killed (HCL) / killed (plan), written to
build/test-results/mutants.md and summarised in pytest's closing summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation.plans import PlanRun

REPORT = Path(__file__).resolve().parents[2] / "build" / "test-results" / "mutants.md"
KILLS: dict[str, dict[str, bool]] = {}  # mutant id -> form ("hcl", "plan") -> killed
MISSING: dict[str, str] = {}  # rule id -> why it has no usable mutant
PLAN_RUNS: list[PlanRun] = []


def record(mutant_id: str, form: str, killed: bool) -> None:
    KILLS.setdefault(mutant_id, {})[form] = killed


def _cell(forms: dict[str, bool], form: str) -> str:
    if form not in forms:
        return "not run"
    return "killed" if forms[form] else "**SURVIVED**"


def report() -> tuple[str, str]:
    """The markdown table and a one-line summary."""
    rows = ["| rule | mutant | HCL | plan |", "| --- | --- | --- | --- |"]
    for mutant_id in sorted(KILLS):
        rule, name = mutant_id.split("-", 1)
        forms = KILLS[mutant_id]
        rows.append(f"| {rule} | {name} | {_cell(forms, 'hcl')} | {_cell(forms, 'plan')} |")
    rows += [f"| {rule} | **NONE**: {why} | | |" for rule, why in sorted(MISSING.items())]
    counts = {
        form: (sum(f[form] for f in KILLS.values() if form in f), sum(form in f for f in KILLS.values()))
        for form in ("hcl", "plan")
    }
    rules = len({m.split("-", 1)[0] for m in KILLS})
    planned = [r for r in PLAN_RUNS if not r.cached]
    plans = (
        f"plans: {len(planned)} run in {sum(r.seconds for r in planned):.0f}s, "
        f"{len(PLAN_RUNS) - len(planned)} from the cache"
    )
    line = (
        f"mutants: {len(KILLS)} over {rules} rules ({len(MISSING)} rules without one); killed in HCL {counts['hcl'][0]}/{counts['hcl'][1]}, "
        f"in plan {counts['plan'][0]}/{counts['plan'][1]}; {plans}"
    )
    return "\n".join(["# Mutants", "", line, "", *rows, ""]), line


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if KILLS or MISSING:
        text, line = report()
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(text)
        terminalreporter.write_line(f"{line} (table: {REPORT})")
