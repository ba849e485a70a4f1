"""Human-readable report: failing findings first, then waived ones, then one summary line."""

from __future__ import annotations

from compliance.formats.summary import headline, location
from compliance.model import Finding, Status
from compliance.scan import ScanResult


def render(result: ScanResult) -> str:
    lines: list[str] = []
    for finding in result.findings:
        if finding.failing:
            lines.extend(_failing(finding))
    for finding in result.findings:
        if finding.status is Status.WAIVED:
            lines.extend(_waived(finding))
    if lines:
        lines.append("")
    lines.append(headline(result))
    return "\n".join(lines) + "\n"


def _failing(finding: Finding) -> list[str]:
    return [
        f"{finding.status.value.upper():<8} {finding.rule_id}  {finding.resource}  ({location(finding)})",
        f"         {finding.title}: {finding.message}",
        f"         fix: {finding.remediation}",
    ]


def _waived(finding: Finding) -> list[str]:
    waiver = finding.waiver
    until = f" until {waiver.expires}" if waiver and waiver.expires else ""
    owner = f" ({waiver.owner})" if waiver and waiver.owner else ""
    return [
        f"WAIVED   {finding.rule_id}  {finding.resource}  ({location(finding)})",
        f"         {finding.message}",
        f"         waived{until}{owner}: {waiver.justification if waiver else ''}",
    ]
