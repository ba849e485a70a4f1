"""The Terraform block a finding points at, read back from its file: its last line (SARIF endLine) and
its text (the optional source snippet of text reports). A file that cannot be read, or a line that does
not open a block, gives the line alone: reports must never fail over a snippet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
