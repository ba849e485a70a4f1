"""Human-readable report: failing findings first (most severe first), then waived ones, then one summary
line. Each finding shows its severity and control ids; on a terminal the status and severity are
coloured (never when the output is not a TTY or NO_COLOR is set), and `--snippet` adds the source block."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from compliance.formats.summary import by_severity, controls_text, headline, location
from compliance.model import Finding, Severity, Status
from compliance.scan import ScanResult
from compliance.source_text import snippet

RED, YELLOW, MAGENTA, CYAN, DIM, RESET = "\x1b[31m", "\x1b[33m", "\x1b[35m", "\x1b[36m", "\x1b[2m", "\x1b[0m"
STATUS_COLOUR = {Status.FAIL: RED, Status.UNKNOWN: YELLOW, Status.WAIVED: CYAN, Status.PASS: ""}
Paint = Callable[[str, str], str]
SEVERITY_COLOUR = {Severity.CRITICAL: MAGENTA, Severity.HIGH: RED, Severity.MEDIUM: YELLOW, Severity.LOW: ""}


def colour_wanted(to_file: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    environ = os.environ if environ is None else environ
    return not to_file and "NO_COLOR" not in environ and sys.stdout.isatty()


def render(result: ScanResult, colour: bool = False, snippets: bool = False) -> str:
    paint = _painter(colour)
    lines: list[str] = []
    for finding in by_severity(f for f in result.findings if f.failing):
        lines.extend(_failing(finding, paint))
        if snippets:
            lines.extend(paint(DIM, row) for row in snippet(finding.source.file, finding.source.line))
    for finding in by_severity(f for f in result.findings if f.status is Status.WAIVED):
        lines.extend(_waived(finding, paint))
    if lines:
        lines.append("")
    lines.append(headline(result))
    return "\n".join(lines) + "\n"


def _painter(colour: bool) -> Paint:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if colour and code else text

    return paint


def _head(finding: Finding, paint: Paint) -> str:
    status = paint(STATUS_COLOUR[finding.status], f"{finding.status.value.upper():<8}")
    severity = paint(SEVERITY_COLOUR[finding.severity], f"{finding.severity.value.upper():<8}")
    return f"{status} {severity} {finding.rule_id}  {finding.resource}  ({location(finding)})"


def _failing(finding: Finding, paint: Paint) -> list[str]:
    return [
        _head(finding, paint),
        f"         {finding.title}: {finding.message}",
        f"         controls: {controls_text(finding.controls)}",
        f"         fix: {finding.remediation}",
    ]


def _waived(finding: Finding, paint: Paint) -> list[str]:
    waiver = finding.waiver
    until = f" until {waiver.expires}" if waiver and waiver.expires else ""
    owner = f" ({waiver.owner})" if waiver and waiver.owner else ""
    return [
        _head(finding, paint),
        f"         {finding.message}",
        f"         waived{until}{owner}: {waiver.justification if waiver else ''}",
    ]
