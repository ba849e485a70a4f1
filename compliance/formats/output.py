"""The one report writer of every command: stdout, or a file whose failure is bad input (exit 2)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from compliance.model import InputError


def emit(text: str, path: Path | None) -> None:
    """Write a report to `path`, or to stdout when it is None."""
    if path is None:
        _stdout(text)
    else:
        write(path, text)


def _stdout(text: str) -> None:
    """Print the report; a reader that stops early (`| head`) is not an error of the command."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write(path: Path, text: str) -> None:
    """Write a report file; an unwritable path (a missing folder too) is bad input, exit 2."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write the report: {error.strerror or error}") from error
