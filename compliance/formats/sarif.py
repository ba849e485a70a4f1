"""SARIF 2.1.0 for GitHub code scanning: every rule in tool.driver.rules; results for fail, unknown
and waived findings (waived ones as external suppressions with their justification); passes are left
out, as code scanning has no notion of them.

Locations are relative to the repository root (`--repo-root`, default the git root above the working
directory), named by `originalUriBaseIds` %SRCROOT%, so the same log reads the same on any checkout;
a file outside the root keeps an absolute file: URI. `automationDetails.id` names the inputs scanned, so
GitHub keeps the staging and prod uploads as separate analyses instead of replacing one by the other."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compliance.about import INFORMATION_URI, TOOL
from compliance.model import Finding, Rule, Severity, Status
from compliance.scan import ScanResult
from compliance.source_text import block_end

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
LEVEL = {Status.FAIL: "error", Status.UNKNOWN: "warning", Status.WAIVED: "warning"}


def render(result: ScanResult, repo_root: Path | None = None) -> str:
    return render_findings(result, result.findings, repo_root)


def render_findings(result: ScanResult, findings: Iterable[Finding], repo_root: Path | None = None) -> str:
    """The SARIF log of some findings (a scan's, or the violations a diff adds), every rule described."""
    root = (repo_root or git_root(Path.cwd())).resolve()
    rules, version = result.rules, result.version
    ordered = sorted(rules, key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(ordered)}
    driver = {
        "name": TOOL,
        "version": version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule) for rule in ordered],
    }
    results = [_result(f, index, root) for f in findings if f.status is not Status.PASS]
    category = "+".join(uri(i.path, root)[0].rstrip("/") for i in result.inputs) or "scan"
    run = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}},
        "automationDetails": {"id": f"{TOOL}:{category}/"},
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    controls = [f"{name} {c}" for name, items in sorted(rule.controls.items()) for c in items]
    markdown = f"**Remediation:** {rule.remediation}\n\n**Why:** {rule.rationale}"
    if controls:
        markdown += "\n\n**Controls:** " + ", ".join(controls)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": f"{rule.remediation} ({', '.join(controls)})", "markdown": markdown},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["security", "compliance", rule.family, *controls],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "high",
        },
    }
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def _result(finding: Finding, index: dict[str, int], root: Path) -> dict[str, Any]:
    address, base = uri(finding.source.file, root)
    artifact = {"uri": address, **({"uriBaseId": base} if base else {})}
    start = max(1, finding.source.line)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVEL[finding.status],
        "message": {"text": f"{finding.resource}: {finding.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": start,
                        "endLine": max(start, block_end(finding.source.file, start)),
                    },
                },
                "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"ruleResource/v1": finding.fingerprint},
        "properties": {"status": finding.status.value, "resource": finding.resource},
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    if finding.waiver is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.waiver.justification}
        ]
    return result


def uri(file: str, root: Path) -> tuple[str, str]:
    """(URI, base id): relative to %SRCROOT% when the file (relative paths: to the working directory)
    lies under `root`, else an absolute file: URI with no base."""
    path = (Path.cwd() / file).resolve()
    if path.is_relative_to(root):
        return quote(path.relative_to(root).as_posix(), safe="/._-~"), "%SRCROOT%"
    return path.as_uri(), ""


def git_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding .git (a worktree's .git is a file); else `start`."""
    start = start.resolve()
    return next((d for d in (start, *start.parents) if (d / ".git").exists()), start)


def _pascal(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in title.replace("-", " ").split() if word.isalnum())
