"""SARIF 2.1.0 for GitHub code scanning: every rule in tool.driver.rules; results for fail, unknown
and waived findings (waived ones as external suppressions with their justification); passes are left
out, as code scanning has no notion of them."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from compliance.about import INFORMATION_URI, TOOL
from compliance.model import Finding, Rule, Severity, Status
from compliance.scan import ScanResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
LEVEL = {Status.FAIL: "error", Status.UNKNOWN: "warning", Status.WAIVED: "warning"}


def render(result: ScanResult) -> str:
    return render_findings(result.rules, result.version, result.findings)


def render_findings(rules: Sequence[Rule], version: str, findings: Iterable[Finding]) -> str:
    """The SARIF log of some findings (a scan's, or the violations a diff adds), every rule described."""
    ordered = sorted(rules, key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(ordered)}
    driver = {
        "name": TOOL,
        "version": version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule) for rule in ordered],
    }
    results = [_result(f, index) for f in findings if f.status is not Status.PASS]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results, "columnKind": "unicodeCodePoints"}],
    }
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


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVEL[finding.status],
        "message": {"text": f"{finding.resource}: {finding.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(finding.source.file), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(1, finding.source.line)},
                },
                "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"ruleResource/v1": _fingerprint(finding)},
        "properties": {"status": finding.status.value, "resource": finding.resource},
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    if finding.waiver is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.waiver.justification}
        ]
    return result


def uri(file: str) -> str:
    """A relative URI reference: relative to the working directory when the file is under it."""
    path = PurePath(file)
    if path.is_absolute():
        relative = os.path.relpath(path)
        path = PurePath(relative) if not relative.startswith("..") else path
    return quote(path.as_posix(), safe="/:._-~")


def _fingerprint(finding: Finding) -> str:
    """Stable across message changes: the same rule on the same resource is the same alert."""
    return hashlib.sha256(f"{finding.rule_id}\x1f{finding.resource}".encode()).hexdigest()[:32]


def _pascal(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in title.replace("-", " ").split() if word.isalnum())
