"""Kill-rate bookkeeping for the mutation suite, printed in pytest's closing summary."""

from __future__ import annotations

import pytest

KILLS: dict[str, dict[str, bool]] = {"hcl": {}, "plan": {}}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for form, results in KILLS.items():
        if results:
            killed = sum(results.values())
            survivors = ", ".join(sorted(name for name, dead in results.items() if not dead)) or "none"
            rate = 100 * killed / len(results)
            terminalreporter.write_line(
                f"mutation ({form}): killed {killed}/{len(results)} ({rate:.0f}%); survivors: {survivors}"
            )
