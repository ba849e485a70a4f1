"""Writers of a compliance diff: a pull-request comment (markdown), JSON, and SARIF of the new and changed
violations. Each takes the diff and the scan it compared (for the rules and the tool version)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compliance.diff import Diff
from compliance.formats import sarif
from compliance.formats.columns import frameworks
from compliance.formats.json_report import finding_json
from compliance.formats.summary import location
from compliance.model import SEVERITY_ORDER, Finding
from compliance.scan import ScanResult

COMMENT_MARKER = "<!-- compliance-diff -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(diff: Diff, environ: Mapping[str, str] | None = None) -> str:
    """A pull-request comment: counts, new/changed violations (most severe first, locations linked to
    the head commit's file lines when run in GitHub Actions, remediation folded), what got fixed, what
    is deleted."""
    verdict = "fails" if diff.failing else "passes"
    changes = sorted(diff.changes, key=lambda c: SEVERITY_ORDER.index(c.finding.severity))
    resources = len({c.finding.resource for c in changes})
    lines = [
        COMMENT_MARKER,
        f"## Compliance diff: this change {verdict}",
        "",
        f"**{len(diff.new)} new**, {len(diff.changes) - len(diff.new)} changed, {len(diff.fixed)} fixed, "
        f"{len(diff.deleted)} deleted resources, {diff.unchanged} pre-existing violations unchanged.",
        "",
    ]
    if changes:
        link = _linker(os.environ if environ is None else environ)
        lines += [
            f"### {len(changes)} new or changed violations on {resources} resources",
            "",
            "| | Severity | Status | Rule | Resource | Action | Location | Message |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.kind} | {c.finding.severity.value} | {c.finding.status.value} | {c.finding.rule_id} "
            f"| `{_cell(c.finding.resource)}` | {c.finding.action or '-'} | {link(c.finding)} "
            f"| {_cell(c.finding.message)} |"
            for c in changes
        ]
        rules = {c.finding.rule_id: c.finding for c in changes}
        lines += ["", f"<details><summary>How to fix ({len(rules)} rules)</summary>", ""]
        lines += [f"- **{rid}** {_cell(f.title)}: {_cell(f.remediation)}" for rid, f in sorted(rules.items())]
        lines += ["", "</details>", ""]
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


def _linker(environ: Mapping[str, str]) -> Callable[[Finding], str]:
    """`file:line` as a link to the head commit on GitHub (GITHUB_SERVER_URL, GITHUB_REPOSITORY and
    GITHUB_SHA, which Actions sets; paths relative to the working directory, the checkout), else as code."""
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    server, repository, sha = (environ.get(name, "") for name in names)

    def link(finding: Finding) -> str:
        shown = f"`{_cell(location(finding))}`"
        file, line = finding.source.file, finding.source.line
        if not (server and repository and sha) or not file or Path(file).is_absolute() or ".." in file:
            return shown
        anchor = f"#L{line}" if line > 0 else ""
        return f"[{shown}]({server}/{repository}/blob/{sha}/{quote(Path(file).as_posix())}{anchor})"

    return link


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


def to_sarif(diff: Diff, result: ScanResult) -> str:
    """The new and changed violations as SARIF, through the scan's SARIF writer."""
    return sarif.render_findings(result, (c.finding for c in diff.changes))


FORMATS: Mapping[str, Callable[[Diff, ScanResult], str]] = {
    "markdown": lambda diff, _result: to_markdown(diff),
    "json": lambda diff, _result: to_json(diff),
    "sarif": to_sarif,
}
