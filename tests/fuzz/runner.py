"""Run the CLI in-process with a hard time limit and captured output."""

from __future__ import annotations

import contextlib
import io
import signal
import time
from dataclasses import dataclass
from types import FrameType

from compliance.cli import main

LIMIT_S = 10


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


class TooSlowError(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TooSlowError(f"no result within {LIMIT_S} s")


def run_cli(*argv: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, LIMIT_S)  # pytest-timeout's own alarm, if any
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # give the test's time limit back what is left of it (at least a moment)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.perf_counter() - start), 0.001))
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def assert_clean(outcome: Outcome) -> None:
    """A result (0/1) or exit 2 with one clear line: never a traceback, never an internal error."""
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.code in (0, 1, 2), (outcome.code, outcome.stderr)
    if outcome.code == 2:
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].strip(), outcome.stderr
