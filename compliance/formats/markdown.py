"""Markdown report for pull requests: counts, then the failing and waived findings as tables."""

from __future__ import annotations

from compliance.about import TOOL
from compliance.formats.summary import STATUSES, by_severity, controls_text, counts, location
from compliance.model import Status
from compliance.scan import ScanResult


def render(result: ScanResult) -> str:
    tally = counts(result.findings)
    inputs = ", ".join(f"`{_cell(i.path)}` ({i.kind})" for i in result.inputs)
    lines = [
        "# Compliance scan",
        "",
        f"{TOOL} {result.version}, {len(result.rules)} rules, generated {result.generated_at}, inputs: {inputs}",
        "",
        "| Status | Findings |",
        "| --- | ---: |",
        *(f"| {status} | {tally[status]} |" for status in STATUSES),
        f"| **total** | **{len(result.findings)}** |",
        "",
    ]
    failing = by_severity(result.failing)
    lines += [f"## Failing findings ({len(failing)})", ""]
    if failing:
        lines += [
            "| Severity | Status | Rule | Resource | Location | Message | Controls | Remediation |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {f.severity.value} | {f.status.value} | {f.rule_id} | `{_cell(f.resource)}` "
            f"| `{_cell(location(f))}` | {_cell(f.message)} | {_cell(controls_text(f.controls))} "
            f"| {_cell(f.remediation)} |"
            for f in failing
        ]
    else:
        lines.append("None: no finding fails or is unknown.")
    waived = by_severity(f for f in result.findings if f.status is Status.WAIVED)
    if waived:
        lines += ["", f"## Waived findings ({len(waived)})", ""]
        lines += [
            "| Rule | Resource | Justification | Owner | Ticket | Expires |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for f in waived:
            w = f.waiver
            lines.append(
                f"| {f.rule_id} | `{_cell(f.resource)}` | {_cell(w.justification if w else '')} "
                f"| {_cell(w.owner if w else '')} | {_cell(w.ticket if w else '')} | {w.expires if w else ''} |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Table-safe: no pipes, backticks or line breaks."""
    return " ".join(text.replace("|", "\\|").replace("`", "'").split())
