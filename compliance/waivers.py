"""Waivers: accepted risks, each with a justification and an expiry, applied to findings after the rules.

A waiver file is YAML: ``waivers:`` followed by a list (a bare top-level list is accepted too) of

    - rule: ENC001                              # a rule id that exists
      resource: module.neo4j.aws_efs_file_system.*   # address glob: * and ? are wildcards, [ ] are literal
      justification: Why the risk is accepted   # required, non-empty
      owner: platform-team                      # optional
      ticket: SEC-123                           # optional
      expires: 2026-12-31                       # required, YYYY-MM-DD; valid through that day

A waived FAIL or UNKNOWN finding stays in every report with status "waived" and its waiver; a PASS is
never waived. An expired or malformed waiver, or one naming an unknown rule, is bad input (exit 2): the
gate must not keep passing on a risk nobody re-approved. Expiry is judged against the real date (`today`
is injectable for tests); SOURCE_DATE_EPOCH deliberately does not move it, or a reproducible build
could revive an expired waiver.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from compliance.model import Finding, InputError, Status, Waiver

DEFAULT = Path(__file__).resolve().parent / "waivers.yaml"
MAX_BYTES = 1024 * 1024
REQUIRED = ("rule", "resource", "justification", "expires")
OPTIONAL = ("owner", "ticket")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_waivers(path: Path, rule_ids: Collection[str], today: dt.date | None = None) -> tuple[Waiver, ...]:
    """The waivers of a file, each checked; an InputError names the file and the entry otherwise."""
    today = today or dt.date.today()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: waiver file over the {MAX_BYTES}-byte limit")
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read waivers: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: waiver file is not UTF-8 text") from error
    except yaml.YAMLError as error:
        raise InputError(f"{path}: invalid YAML: {_one_line(str(error))}") from error
    entries = document.get("waivers") if isinstance(document, dict) else document
    if document is None or entries is None:
        return ()
    if not isinstance(entries, list) or (isinstance(document, dict) and set(document) != {"waivers"}):
        raise InputError(f"{path}: expected `waivers:` followed by a list of waivers")
    return tuple(_waiver(path, index, entry, rule_ids, today) for index, entry in enumerate(entries, 1))


def _waiver(path: Path, index: int, entry: Any, rule_ids: Collection[str], today: dt.date) -> Waiver:
    where = f"{path}: waiver {index}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: expected a mapping with {', '.join(REQUIRED)}")
    where = f"{where} ({entry.get('rule', '?')} {entry.get('resource', '?')})"
    unknown = sorted(str(k) for k in entry if k not in REQUIRED + OPTIONAL)
    if unknown:
        raise InputError(f"{where}: unknown field {', '.join(unknown)}")
    missing = [k for k in REQUIRED if _text(entry.get(k)) == ""]
    if missing:
        raise InputError(f"{where}: missing or empty {', '.join(missing)}")
    for key in (*REQUIRED, *OPTIONAL):
        if key in entry and not isinstance(entry[key], str | dt.date) and entry[key] is not None:
            raise InputError(f"{where}: {key} must be text")
    rule = _text(entry["rule"])
    if rule not in rule_ids:
        raise InputError(f"{where}: unknown rule {rule}")
    expires = _date(where, entry["expires"])
    if expires < today:
        raise InputError(f"{where}: expired on {expires.isoformat()}; renew it or fix the finding")
    return Waiver(
        rule_id=rule,
        resource=_text(entry["resource"]),
        justification=_text(entry["justification"]),
        owner=_text(entry.get("owner")),
        ticket=_text(entry.get("ticket")),
        expires=expires.isoformat(),
    )


def _date(where: str, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = _text(value)
    if not _DATE.match(text):
        raise InputError(f"{where}: expires must be a date YYYY-MM-DD, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise InputError(f"{where}: expires is not a valid date: {text}") from error


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def matches(waiver: Waiver, finding: Finding) -> bool:
    return (
        waiver.rule_id == finding.rule_id and _glob(waiver.resource).fullmatch(finding.resource) is not None
    )


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """Only * and ? are wildcards: addresses hold brackets (`aws_subnet.private[0]`) meant literally."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def apply_waivers(findings: Iterable[Finding], waivers: Sequence[Waiver]) -> tuple[Finding, ...]:
    """Findings with every FAIL/UNKNOWN that a waiver covers turned WAIVED (first matching waiver)."""
    result: list[Finding] = []
    for finding in findings:
        waiver = next((w for w in waivers if matches(w, finding)), None) if finding.failing else None
        result.append(
            finding if waiver is None else dataclasses.replace(finding, status=Status.WAIVED, waiver=waiver)
        )
    return tuple(result)


def apply_inline(findings: Iterable[Finding], rule_ids: Collection[str]) -> tuple[Finding, ...]:
    """Findings with every FAIL/UNKNOWN that an inline `# compliance:ignore RULE reason` comment of its
    block covers turned WAIVED, the comment's file:line and reason as the justification. Every comment
    read is checked (a reason, known rules), failing or not."""
    from compliance.source_text import suppressions

    result: list[Finding] = []
    for finding in findings:
        found = (
            suppressions(finding.source.file, finding.source.line, rule_ids) if finding.source.file else ()
        )
        match = next((s for s in found if finding.rule_id in s.rules), None)
        if match is None or not finding.failing:
            result.append(finding)
            continue
        justification = f"inline at {match.file}:{match.line}: {match.reason}"
        waiver = Waiver(finding.rule_id, finding.resource, justification, "inline", "", "")
        result.append(dataclasses.replace(finding, status=Status.WAIVED, waiver=waiver))
    return tuple(result)


def _one_line(text: str) -> str:
    return " ".join(text.split())
