"""checkov as a second opinion: run the pinned checkov on the env's Terraform and map its checks to ours.

checkov lives in its own venv (its bc-python-hcl2 would shadow python-hcl2), found through $CHECKOV (the
Makefile exports it) or `checkov` on PATH. It runs as a separate process started before our own scan so
the two overlap. Its results are labelled as checkov's in the bundle and fail nothing: the correspondence
table checkov_map.yaml names, for each check id we map, our rule (whose controls it then shows) or
controls directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from compliance.evidence.report import CheckovReport, CheckovResult
from compliance.model import InputError, Rule

MAP_FILE = Path(__file__).resolve().parent / "checkov_map.yaml"
TIMEOUT_S = 300
RESULT_KEYS = {"passed_checks": "passed", "failed_checks": "failed", "skipped_checks": "skipped"}


@dataclass(frozen=True, slots=True)
class Mapped:
    rule_id: str
    controls: Mapping[str, tuple[str, ...]]


def executable(explicit: str | None = None) -> str | None:
    """The checkov to run: an explicit path, $CHECKOV, or `checkov` on PATH."""
    candidate = explicit or os.environ.get("CHECKOV") or shutil.which("checkov")
    return candidate if candidate and Path(candidate).is_file() else None


@dataclass
class Running:
    """A checkov process started in the background; `finish` collects it."""

    command: tuple[str, ...]
    process: subprocess.Popen[bytes] | None
    error: str = ""


def start(checkov: str | None, root: Path) -> Running:
    """Start checkov on a Terraform root (modules it calls included), JSON to stdout."""
    command = (
        checkov or "checkov",
        "--directory",
        str(root),
        "--framework",
        "terraform",
        "--output",
        "json",
        "--compact",
        "--quiet",
    )
    if checkov is None:
        return Running(command, None, "checkov not found (set CHECKOV or put checkov on PATH)")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=Path.cwd()
    )
    return Running(command, process)


def stop(running: Running | None) -> None:
    """End a checkov run whose results are no longer wanted (the scan failed)."""
    if running is not None and running.process is not None and running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def finish(running: Running, rules: Sequence[Rule], base: Path) -> CheckovReport:
    """Wait for checkov and turn its JSON into mapped results; a failure becomes the report's error."""
    display = tuple(Path(running.command[0]).name if i == 0 else a for i, a in enumerate(running.command))
    if running.process is None:
        return CheckovReport("unavailable", display, (), running.error)
    try:
        out, err = running.process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.communicate()
        return CheckovReport("unknown", display, (), f"timed out after {TIMEOUT_S} s")
    # checkov exits 1 when a check fails; anything else non-zero, or no JSON, is an error.
    try:
        document = json.loads(out) if out.strip() else None
    except ValueError:
        document = None
    if running.process.returncode not in (0, 1) or document is None:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return CheckovReport("unknown", display, (), f"exit {running.process.returncode}: {last[0][:200]}")
    mapping = correspondence(rules)
    results = tuple(sorted(_results(document, mapping, base), key=_order))
    return CheckovReport(_version(document), display, results)


def _order(result: CheckovResult) -> tuple[str, str, str, int]:
    return (result.file, result.resource, result.check_id, result.line)


def _version(document: Any) -> str:
    for report in _reports(document):
        version = report.get("summary", {}).get("checkov_version")
        if version:
            return str(version)
    return "unknown"


def _reports(document: Any) -> Iterator[Mapping[str, Any]]:
    """checkov prints one report object, or a list of them when several frameworks ran."""
    for report in document if isinstance(document, list) else [document]:
        if isinstance(report, dict):
            yield report


def _results(document: Any, mapping: Mapping[str, Mapped], base: Path) -> Iterator[CheckovResult]:
    for report in _reports(document):
        results = report.get("results", {})
        for key, result in RESULT_KEYS.items():
            for check in results.get(key, ()) if isinstance(results, dict) else ():
                check_id = str(check.get("check_id", ""))
                mapped = mapping.get(check_id, Mapped("", {}))
                lines = check.get("file_line_range") or [0]
                yield CheckovResult(
                    check_id=check_id,
                    check_name=str(check.get("check_name", "")),
                    result=result,
                    resource=str(check.get("resource", "")),
                    file=_relative(str(check.get("file_abs_path") or check.get("file_path", "")), base),
                    line=int(lines[0]),
                    rule_id=mapped.rule_id,
                    controls=mapped.controls,
                )


def _relative(path: str, base: Path) -> str:
    """Paths relative to the repository, so the bundle does not depend on where it was checked out."""
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


@cache
def _table() -> Mapping[str, Any]:
    data = yaml.safe_load(MAP_FILE.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("checks"), dict):
        raise InputError(f"{MAP_FILE}: expected a mapping with a 'checks' table")
    checks: Mapping[str, Any] = data["checks"]
    return checks


def correspondence(rules: Sequence[Rule]) -> dict[str, Mapped]:
    """check id -> our rule and controls. A check naming a rule takes that rule's controls (one source of
    truth); a check without a rule equivalent names controls itself."""
    by_id = {rule.id: rule for rule in rules}
    mapped: dict[str, Mapped] = {}
    for check_id, entry in _table().items():
        rule_id = str(entry.get("rule", "")) if isinstance(entry, dict) else ""
        rule = by_id.get(rule_id)
        if rule is not None:
            controls = {fw: tuple(ids) for fw, ids in rule.controls.items()}
        else:
            raw = entry.get("controls", {}) if isinstance(entry, dict) else {}
            controls = {str(fw): tuple(str(i) for i in ids) for fw, ids in raw.items()}
        mapped[str(check_id)] = Mapped(rule_id if rule is not None else "", controls)
    return mapped
