"""The Terraform block a finding points at, read back from its file: its last line (SARIF endLine), its
text (the optional source snippet of text reports) and its inline suppressions. A file that cannot be
read, or a line that does not open a block, gives the line alone: reports must never fail over a snippet.

An inline suppression is a comment inside the block, or on the line just above it:

    # compliance:ignore ENC001,LOG004 the reason, required

A suppression without a reason, or naming an unknown rule, is bad input (exit 2) naming file:line."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from compliance.model import InputError

MAX_SNIPPET = 12


def _lines(file: str) -> tuple[str, ...]:
    try:
        path = Path(file).resolve()
        return _read(path, path.stat().st_mtime_ns)
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> tuple[str, ...]:
    """Cached per path and modification time: one report reads each file once."""
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def block_end(file: str, line: int) -> int:
    """The 1-based line that closes the block opened at `line` (braces in strings and comments are
    skipped); `line` itself when the file or the block cannot be read."""
    lines = _lines(file)
    if line < 1 or line > len(lines):
        return line
    depth = 0
    opened = False
    for number in range(line, len(lines) + 1):
        for char in _code(lines[number - 1]):
            if char == "{":
                depth, opened = depth + 1, True
            elif char == "}":
                depth -= 1
        if opened and depth <= 0:
            return number
    return line


def _code(text: str) -> str:
    """The line without its quoted strings and comments."""
    out: list[str] = []
    quoted = False
    escaped = False
    for index, char in enumerate(text):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char == "#" or text.startswith("//", index):
            break
        else:
            out.append(char)
    return "".join(out)


def snippet(file: str, line: int) -> list[str]:
    """Up to MAX_SNIPPET numbered lines of the block at `line` ("" lines when it cannot be read)."""
    lines = _lines(file)
    if line < 1 or line > len(lines):
        return []
    end = min(block_end(file, line), line + MAX_SNIPPET - 1)
    return [f"{number:>5} | {lines[number - 1]}" for number in range(line, end + 1)]


IGNORE = re.compile(r"(?:#|//)\s*compliance:ignore\b(?P<rest>.*)$")
RULE_LIST = re.compile(r"^[A-Z]{3}\d{3}(,[A-Z]{3}\d{3})*$")


@dataclass(frozen=True, slots=True)
class Suppression:
    rules: frozenset[str]
    reason: str
    file: str
    line: int


def suppressions(file: str, line: int, known: Collection[str]) -> tuple[Suppression, ...]:
    """The inline suppressions of the block opened at `line` (and of the comment line just above)."""
    lines = _lines(file)
    if line < 1 or line > len(lines):
        return ()
    first = line - 1 if line > 1 and lines[line - 2].lstrip().startswith(("#", "//")) else line
    found = []
    for number in range(first, block_end(file, line) + 1):
        match = IGNORE.search(lines[number - 1])
        if match is None:
            continue
        rules, _, reason = match["rest"].strip().partition(" ")
        where = f"{file}:{number}"
        if not RULE_LIST.match(rules):
            raise InputError(
                f"{where}: compliance:ignore names no rule id (ENC001 or ENC001,LOG004, then the reason)"
            )
        ids = frozenset(rules.split(","))
        if not reason.strip():
            raise InputError(f"{where}: compliance:ignore {rules} needs a reason after the rule ids")
        unknown = sorted(ids - set(known))
        if unknown:
            raise InputError(f"{where}: compliance:ignore names unknown rule {unknown[0]}")
        found.append(Suppression(ids, reason.strip(), file, number))
    return tuple(found)


STATEMENT = re.compile(r"statement (?:'(?P<sid>[^']+)'|#(?P<index>\d+))")
_JSON_STATEMENT = re.compile(r"""(?i)(^|[{\s,])"?effect"?\s*[=:]""")
_BLOCK_STATEMENT = re.compile(r"^\s*statement\s*\{")
_STATEMENT_LISTS = re.compile(r"""(?i)"?statement"?\s*[=:]\s*\[""")


def statement_line(file: str, line: int, message: str) -> int:
    """The line of the policy statement a finding's message names ("statement 'Sid'" or "statement #N"),
    when the resource's block (or, for a Sid, the file, once) shows it unambiguously; else `line`."""
    match = STATEMENT.search(message)
    lines = _lines(file)
    if match is None or line < 1 or line > len(lines):
        return line
    end = block_end(file, line)
    block = range(line, end + 1)
    if match["sid"] is not None:
        quoted = re.compile(rf"""(?i)"?sid"?\s*[=:]\s*"{re.escape(match["sid"])}\"""")
        inside = [n for n in block if quoted.search(lines[n - 1])]
        anywhere = [n for n in range(1, len(lines) + 1) if quoted.search(lines[n - 1])]
        found = inside or (anywhere if len(anywhere) == 1 else [])
        return found[0] if len(found) == 1 else line
    index = int(match["index"])
    blocks = [n for n in block if _BLOCK_STATEMENT.match(lines[n - 1])]
    lists = sum(1 for n in block if _STATEMENT_LISTS.search(lines[n - 1]))
    effects = [n for n in block if _JSON_STATEMENT.search(lines[n - 1])] if lists == 1 else []
    candidates = blocks or effects
    return candidates[index] if index < len(candidates) else line
