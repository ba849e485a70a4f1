"""`diff --base BASE_PLAN --head HEAD_PLAN`: what a change makes worse, for a pull-request check.

Violations (failing or unknown findings, after waivers) are matched by (rule, resource address):
- new: failing in head, not failing in base;
- changed: failing in both with a different status or message, on a resource head creates, updates or
  replaces (the change touched it and it is still wrong, differently);
- fixed: failing in base, passing in head on a resource that still exists in head (a violation waived
  in head is accepted, not fixed: it is neither listed nor counted as new);
- deleted: resources head deletes or forgets, or that exist in base and no longer in head. Their base
  violations are listed with them and never counted as fixed, and a violation on another resource is
  never matched to them (a rename is a deletion plus a new violation).
Pre-existing violations that the change does not alter are counted, not listed. Exit 1 only when there
are new or changed violations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.engine import run as run_rules
from compliance.formats.json_report import finding_json
from compliance.formats.summary import location
from compliance.loaders.plan import judged
from compliance.model import Finding, Model, Resource, Rule, Status, Waiver
from compliance.scan import (
    Loaded,
    ScanInput,
    ScanResult,
    borrow_sources,
    frameworks,
    generated_at,
    load_hcl_input,
    load_plan_input,
    version,
)
from compliance.waivers import DEFAULT as DEFAULT_WAIVERS
from compliance.waivers import apply_waivers, load_waivers

GONE = frozenset({"delete", "forget"})
TOUCHED = frozenset({"create", "update", "replace"})
FORMATS = ("markdown", "json", "sarif")
COMMENT_MARKER = "<!-- compliance-diff -->"

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Side:
    """One plan's resources (deleted ones included, with their action) and the findings over it."""

    path: str
    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Change:
    finding: Finding
    kind: str  # "new" | "changed"
    before: Finding | None = None


@dataclass(frozen=True, slots=True)
class Deletion:
    address: str
    action: str  # "delete", "forget" or "absent" (in base, not in head)
    violations: tuple[Finding, ...]  # base violations that go away with it


@dataclass(frozen=True, slots=True)
class Diff:
    base: str
    head: str
    changes: tuple[Change, ...]
    fixed: tuple[Finding, ...]  # the base findings that no longer fail
    deleted: tuple[Deletion, ...]
    unchanged: int  # pre-existing violations the change leaves as they were

    @property
    def new(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == "new")

    @property
    def failing(self) -> bool:
        return bool(self.changes)


def compare(base: Side, head: Side) -> Diff:
    head_actions = {r.address: r.action for r in head.resources if r.mode != "provider"}
    gone = {a for a, action in head_actions.items() if action in GONE}
    absent = {r.address for r in base.resources if r.mode == "managed"} - set(head_actions)
    base_failing = _violations(base.findings)
    head_failing = {k: f for k, f in _violations(head.findings).items() if k[1] not in gone}
    head_passing = {_key(f) for f in head.findings if f.status is Status.PASS and f.resource not in gone}

    changes: list[Change] = []
    unchanged = 0
    for key, finding in sorted(head_failing.items()):
        before = base_failing.get(key)
        if before is None:
            changes.append(Change(finding, "new"))
        elif _same(before, finding) or head_actions.get(key[1], "") not in TOUCHED:
            unchanged += 1
        else:
            changes.append(Change(finding, "changed", before))
    fixed = tuple(
        f for key, f in sorted(base_failing.items()) if key in head_passing and key[1] not in gone | absent
    )
    deleted = tuple(
        Deletion(
            address,
            head_actions.get(address, "absent"),
            tuple(f for key, f in sorted(base_failing.items()) if key[1] == address),
        )
        for address in sorted(gone | absent)
    )
    return Diff(base.path, head.path, tuple(changes), fixed, deleted, unchanged)


def _key(finding: Finding) -> Key:
    return (finding.rule_id, finding.resource)


def _violations(findings: Iterable[Finding]) -> dict[Key, Finding]:
    """Failing findings by (rule, resource); a pair seen from several origins keeps the first."""
    found: dict[Key, Finding] = {}
    for finding in findings:
        if finding.failing:
            found.setdefault(_key(finding), finding)
    return found


def _same(before: Finding, after: Finding) -> bool:
    return before.status is after.status and before.message == after.message


# --- rendering ----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(diff: Diff) -> str:
    """A pull-request comment: counts, new/changed violations, what got fixed, what is deleted."""
    verdict = "fails" if diff.failing else "passes"
    lines = [
        COMMENT_MARKER,
        f"## Compliance diff: this change {verdict}",
        "",
        f"**{len(diff.new)} new**, {len(diff.changes) - len(diff.new)} changed, {len(diff.fixed)} fixed, "
        f"{len(diff.deleted)} deleted resources, {diff.unchanged} pre-existing violations unchanged.",
        "",
    ]
    if diff.changes:
        lines += [
            "### New or changed violations",
            "",
            "| | Status | Rule | Resource | Action | Location | Message | Remediation |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.kind} | {c.finding.status.value} | {c.finding.rule_id} | `{_cell(c.finding.resource)}` "
            f"| {c.finding.action or '-'} | `{_cell(location(c.finding))}` | {_cell(c.finding.message)} "
            f"| {_cell(c.finding.remediation)} |"
            for c in diff.changes
        ]
        lines.append("")
    else:
        lines += ["No new violations.", ""]
    if diff.fixed:
        lines += ["### Fixed", ""]
        lines += [f"- {f.rule_id} `{_cell(f.resource)}`: {_cell(f.title)}" for f in diff.fixed]
        lines.append("")
    if diff.deleted:
        lines += ["### Deleted resources (not counted as fixes)", ""]
        for d in diff.deleted:
            gone_with = ", ".join(f.rule_id for f in d.violations)
            suffix = f" (its violations go with it: {gone_with})" if gone_with else ""
            lines.append(f"- `{_cell(d.address)}` {d.action}{suffix}")
        lines.append("")
    lines.append(f"<sub>base `{_cell(diff.base)}`, head `{_cell(diff.head)}`</sub>")
    return "\n".join(lines) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    """The scan report's finding, plus the plan action that touches its resource."""
    return {**finding_json(finding, frameworks()), "action": finding.action}


def to_json(diff: Diff) -> str:
    document = {
        "base": diff.base,
        "head": diff.head,
        "summary": {
            "new": len(diff.new),
            "changed": len(diff.changes) - len(diff.new),
            "fixed": len(diff.fixed),
            "deleted": len(diff.deleted),
            "unchanged": diff.unchanged,
        },
        "violations": [
            {
                "kind": c.kind,
                **_finding_json(c.finding),
                "before": _finding_json(c.before) if c.before else None,
            }
            for c in diff.changes
        ],
        "fixed": [_finding_json(f) for f in diff.fixed],
        "deleted": [
            {"address": d.address, "action": d.action, "violations": [_finding_json(f) for f in d.violations]}
            for d in diff.deleted
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


# --- command ------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, type=Path, metavar="BASE_PLAN", help="plan JSON of the base")
    parser.add_argument(
        "--head", required=True, type=Path, metavar="HEAD_PLAN", help="plan JSON of the change"
    )
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument("--waivers", type=Path, metavar="FILE", default=DEFAULT_WAIVERS)
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="the head's Terraform root: findings borrow file:line from its HCL",
    )


def run(args: argparse.Namespace) -> int:
    rules = _rules()
    waivers = load_waivers(args.waivers, {r.id for r in rules})
    sources = [load_hcl_input(path) for path in args.source]
    base = scan_plan(args.base, rules, waivers, sources)
    head = scan_plan(args.head, rules, waivers, sources)
    diff = compare(base, head)
    text = render(diff, args.format, head, rules)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 1 if diff.failing else 0


def _rules() -> tuple[Rule, ...]:
    from compliance.rules import RULES

    return RULES


def scan_plan(
    path: Path, rules: Sequence[Rule], waivers: Sequence[Waiver], sources: Sequence[Loaded]
) -> Side:
    """One plan's resources (deleted ones kept, for the deletion list) and its findings after waivers."""
    loaded = borrow_sources(load_plan_input(path), sources)
    findings = apply_waivers(run_rules(rules, Model(judged(loaded.resources))), waivers)
    return Side(str(path), loaded.resources, tuple(findings))


def render(diff: Diff, fmt: str, head: Side, rules: Sequence[Rule]) -> str:
    if fmt == "json":
        return to_json(diff)
    if fmt == "sarif":
        return to_sarif(diff, head, rules)
    return to_markdown(diff)


def to_sarif(diff: Diff, head: Side, rules: Sequence[Rule]) -> str:
    """The new and changed violations as SARIF, through the scan's own SARIF writer."""
    from compliance.formats import sarif

    digest = hashlib.sha256(Path(head.path).read_bytes()).hexdigest()
    result = ScanResult(
        inputs=(ScanInput(head.path, "plan", digest),),
        rules=tuple(rules),
        findings=tuple(c.finding for c in diff.changes),
        generated_at=generated_at(os.environ),
        version=version(),
    )
    return sarif.render(result)
