"""Control status per framework: the one summary the HTML, the PDF and controls.csv all show.

A control's status is derived from the findings of the rules that map to it (the rules are the one source
of truth for mapping): any failing finding makes it fail, then unknown, then waived, then pass. A manual
control is MANUAL with who attests; an automated control whose rules evaluated no resource is NO EVIDENCE,
never a pass.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from compliance.frameworks import AUTOMATED, MANUAL, Control, Framework, rules_for
from compliance.frameworks.documents import describe
from compliance.model import WORST_FIRST, Finding, Rule

NO_EVIDENCE = "no evidence"
# Worst first: the first status present among a control's findings is the control's status.
PRECEDENCE: tuple[str, ...] = tuple(status.value for status in WORST_FIRST)
CONTROL_STATUSES: tuple[str, ...] = (*PRECEDENCE, MANUAL, NO_EVIDENCE)


@dataclass(frozen=True, slots=True)
class ControlStatus:
    control: Control
    status: str
    rules: tuple[str, ...]
    counts: Mapping[str, int]  # finding status -> count, over the control's rules

    @property
    def mode(self) -> str:
        """automated when a rule maps to the control (derived from the rules), else manual."""
        return AUTOMATED if self.rules else MANUAL


@dataclass(frozen=True, slots=True)
class FrameworkStatus:
    framework: Framework
    controls: tuple[ControlStatus, ...]

    def count(self, status: str) -> int:
        return sum(1 for c in self.controls if c.status == status)


def summarise(
    frameworks: Iterable[Framework], rules: Sequence[Rule], findings: Sequence[Finding]
) -> tuple[FrameworkStatus, ...]:
    by_rule: dict[str, Counter[str]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule_id, Counter())[finding.status.value] += 1
    return tuple(
        FrameworkStatus(fw, tuple(_control_status(c, rules, by_rule) for c in fw.controls))
        for fw in frameworks
    )


def _control_status(
    control: Control, rules: Sequence[Rule], by_rule: dict[str, Counter[str]]
) -> ControlStatus:
    rule_ids = rules_for(control, rules)
    counts: Counter[str] = Counter()
    for rule_id in rule_ids:
        counts.update(by_rule.get(rule_id, Counter()))
    ordered = {status: counts[status] for status in PRECEDENCE if counts[status]}
    status = next(iter(ordered), NO_EVIDENCE) if rule_ids else MANUAL
    return ControlStatus(control, status, rule_ids, ordered)


def family_counts(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """Rule family (ENC, NET, ...) -> finding status -> count, families in name order."""
    counts: dict[str, Counter[str]] = {}
    for finding in findings:
        counts.setdefault(finding.rule_id[:3], Counter())[finding.status.value] += 1
    return {
        family: {s: counts[family][s] for s in PRECEDENCE if counts[family][s]} for family in sorted(counts)
    }


def to_csv(summary: Sequence[FrameworkStatus]) -> str:
    """controls.csv: one row per framework control, for auditors' spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["framework", "control", "title", "mode", "status", "rules", *PRECEDENCE, "attested_by", "documents"]
    )
    for fw in summary:
        for item in fw.controls:
            c = item.control
            writer.writerow(
                [
                    fw.framework.name,
                    c.id,
                    c.title,
                    item.mode,
                    item.status,
                    " ".join(item.rules),
                    *(item.counts.get(s, 0) for s in PRECEDENCE),
                    c.attested_by,
                    "; ".join(describe(path) for path in c.documents),
                ]
            )
    return out.getvalue()
