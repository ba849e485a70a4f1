"""Counts shared by the reports: by status, by rule and by control, every key always present."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compliance.formats.columns import frameworks
from compliance.model import SEVERITY_ORDER, WORST_FIRST, Finding, Status
from compliance.scan import ScanResult

STATUSES = tuple(status.value for status in Status)


def location(finding: Finding) -> str:
    """`file:line`, or just the file when the line is not known (plan input)."""
    source = finding.source
    return f"{source.file}:{source.line}" if source.line > 0 else source.file


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then worst status first; the scan's order otherwise (the sort is stable)."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.index(f.severity), WORST_FIRST.index(f.status)))


def controls_text(controls: Mapping[str, tuple[str, ...]]) -> str:
    """ "HIPAA 164.312(a)(2)(iv); PIPEDA 4.7.1, 4.7.3" """
    return "; ".join(f"{name} {', '.join(ids)}" for name, ids in sorted(controls.items()))


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    result = dict.fromkeys(STATUSES, 0)
    for finding in findings:
        result[finding.status.value] += 1
    return result


def summary(result: ScanResult) -> dict[str, Any]:
    """Totals; every rule of the scan and every control a rule maps to appears, zero counts included."""
    by_rule = {rule.id: dict.fromkeys(STATUSES, 0) for rule in result.rules}
    by_control: dict[str, dict[str, dict[str, int]]] = {name: {} for name in frameworks()}
    for rule in result.rules:
        for name, controls in rule.controls.items():
            for control in controls:
                by_control.setdefault(name, {}).setdefault(control, dict.fromkeys(STATUSES, 0))
    for finding in result.findings:
        status = finding.status.value
        by_rule.setdefault(finding.rule_id, dict.fromkeys(STATUSES, 0))[status] += 1
        for name, controls in finding.controls.items():
            for control in controls:
                by_control.setdefault(name, {}).setdefault(control, dict.fromkeys(STATUSES, 0))[status] += 1
    return {
        "total": len(result.findings),
        "by_status": counts(result.findings),
        "by_rule": by_rule,
        "by_control": by_control,
    }


def headline(result: ScanResult) -> str:
    """One line: how many findings of each status, over how many inputs and rules."""
    tally = counts(result.findings)
    parts = ", ".join(f"{tally[s]} {s}" for s in STATUSES)
    return (
        f"{len(result.findings)} findings: {parts} ({len(result.inputs)} inputs, {len(result.rules)} rules)"
    )
