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
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compliance.model import Finding, Status
from compliance.scan import InputResult, scan
from compliance.waivers import DEFAULT as DEFAULT_WAIVERS

GONE = frozenset({"delete", "forget"})
TOUCHED = frozenset({"create", "update", "replace"})

Key = tuple[str, str]


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


def compare(base: InputResult, head: InputResult) -> Diff:
    """Pure: the violations head adds, changes, fixes and deletes over base (see the module docstring)."""
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


# --- command ------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from compliance.formats.diff import FORMATS

    parser.add_argument("--base", required=True, type=Path, metavar="BASE_PLAN", help="plan JSON of the base")
    parser.add_argument(
        "--head", required=True, type=Path, metavar="HEAD_PLAN", help="plan JSON of the change"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="markdown")
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


def infer_source(plan: Path) -> list[Path]:
    """The head's Terraform root when the plan sits in it (`terraform show -json tfplan > plan.json` run
    in the root); plan JSON records no working directory, so otherwise warn and use none."""
    folder = plan.resolve().parent
    if any(folder.glob("*.tf")):
        print(f"diff: --source inferred as {folder} (the folder of {plan})", file=sys.stderr)
        return [folder]
    print(
        f"warning: diff: cannot infer the Terraform root of {plan} (no .tf beside it); findings point at "
        "the plan file: give --source DIR",
        file=sys.stderr,
    )
    return []


def run(args: argparse.Namespace) -> int:
    """Both plans through the one scan pipeline (borrowing file:line and unknowns from --source), then
    the comparison of their results, written by the one report writer."""
    from compliance.formats.diff import FORMATS
    from compliance.formats.output import emit

    sources = args.source or infer_source(args.head)
    result = scan(paths=sources, plans=[args.base, args.head], waivers=args.waivers)
    diff = compare(result.result_of(args.base), result.result_of(args.head))
    emit(FORMATS[args.format](diff, result), args.output)
    return 1 if diff.failing else 0
