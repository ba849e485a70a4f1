"""The JSON report: metadata, summary and one finding per (rule, resource), deterministic bytes."""

from __future__ import annotations

from typing import Any

import orjson

from compliance.about import TOOL
from compliance.formats.columns import controls_of, frameworks
from compliance.formats.summary import summary
from compliance.model import Finding, Waiver
from compliance.scan import ScanResult


def render(result: ScanResult) -> str:
    names = frameworks()
    document = {
        "metadata": {
            "tool": TOOL,
            "version": result.version,
            "generated_at": result.generated_at,
            "inputs": [{"path": i.path, "kind": i.kind, "sha256": i.sha256} for i in result.inputs],
            "rules": len(result.rules),
        },
        "summary": summary(result),
        "findings": [finding_json(f, names) for f in result.findings],
    }
    # orjson: the same bytes as json.dumps(sort_keys=True, indent=2, ensure_ascii=False), ~8x faster.
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode() + "\n"


def finding_json(finding: Finding, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": finding.id,
        "rule_id": finding.rule_id,
        "title": finding.title,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "resource": finding.resource,
        "source": {"file": finding.source.file, "line": finding.source.line},
        "controls": controls_of(finding, names),
        "message": finding.message,
        "remediation": finding.remediation,
        "origin": finding.origin.value,
        "waiver": None if finding.waiver is None else waiver_json(finding.waiver),
    }


def waiver_json(waiver: Waiver) -> dict[str, str]:
    return {
        "rule": waiver.rule_id,
        "resource": waiver.resource,
        "justification": waiver.justification,
        "owner": waiver.owner,
        "ticket": waiver.ticket,
        "expires": waiver.expires,
    }
