"""Whole-process and in-process measurements: wall time (median, min, max over runs) and peak RSS."""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Sample:
    median_s: float
    min_s: float
    max_s: float
    peak_rss_mb: float
    runs: int
    exit_codes: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def process(
    argv: Sequence[str], runs: int, env: dict[str, str] | None = None, timeout: float = 900
) -> Sample:
    """Run a command `runs` times; peak RSS per child from wait4 (Linux reports KiB)."""
    times: list[float] = []
    peaks: list[float] = []
    codes: list[int] = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.002)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        codes.append(os.waitstatus_to_exitcode(status))
    return _sample(times, max(peaks), codes)


def in_process(call: Callable[[], int], runs: int) -> Sample:
    """Time a call inside this process after one warm-up run (imports and caches excluded)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        call()
        times: list[float] = []
        codes: list[int] = []
        for _ in range(runs):
            start = time.perf_counter()
            codes.append(call())
            times.append(time.perf_counter() - start)
    return _sample(times, _self_rss_mb(), codes)


def _self_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample(times: list[float], peak: float, codes: list[int]) -> Sample:
    return Sample(
        median_s=round(statistics.median(times), 4),
        min_s=round(min(times), 4),
        max_s=round(max(times), 4),
        peak_rss_mb=round(peak, 1),
        runs=len(times),
        exit_codes=tuple(codes),
    )
