"""Baselines: adopt the gate on a repository that already has violations, failing only on new ones.

`scan --create-baseline FILE` writes the fingerprints (rule + resource, as SARIF's partialFingerprints)
of every failing finding; `scan --baseline FILE` then reports those findings as waived ("in baseline
FILE"), so they stay visible while only findings missing from the baseline fail the scan.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from compliance.formats.output import write
from compliance.model import Finding, InputError, Status, Waiver
from compliance.scan import InputResult, ScanResult

VERSION = 1


def create(result: ScanResult, path: Path) -> int:
    """Write the baseline of `result`; returns how many fingerprints it holds."""
    prints = sorted({f.fingerprint for f in result.findings if f.failing})
    write(path, json.dumps({"version": VERSION, "fingerprints": prints}, indent=2) + "\n")
    return len(prints)


def load(path: Path) -> frozenset[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read the baseline: {error.strerror or error}") from error
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{path}: baseline is not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise InputError(f"{path}: version: not a version {VERSION} baseline")
    prints = document.get("fingerprints")
    if not isinstance(prints, list) or not all(isinstance(p, str) for p in prints):
        raise InputError(f"{path}: fingerprints: must be a list of strings")
    return frozenset(prints)


def apply(result: ScanResult, path: Path) -> ScanResult:
    """`result` with every failing finding the baseline at `path` holds marked as waived."""
    prints = load(path)

    def accepted(finding: Finding) -> Finding:
        if not finding.failing or finding.fingerprint not in prints:
            return finding
        waiver = Waiver(finding.rule_id, finding.resource, f"in baseline {path}", "baseline", "", "")
        return dataclasses.replace(finding, status=Status.WAIVED, waiver=waiver)

    results = tuple(
        InputResult(item.input, item.resources, tuple(map(accepted, item.findings)))
        for item in result.results
    )
    return dataclasses.replace(result, findings=tuple(map(accepted, result.findings)), results=results)
