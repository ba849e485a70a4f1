"""/readyz's checks: each store is pinged in a worker thread with a short timeout, and the answer is reused
for a few seconds so that a burst of probes (or a restarting Neo4j) does not become a burst of pings."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Probe:
    name: str
    ping: Callable[[], None]


class Readiness:
    def __init__(self, probes: list[Probe], timeout_s: float, cache_s: float) -> None:
        self.probes = probes
        self.timeout_s = timeout_s
        self.cache_s = cache_s
        self.pool = ThreadPoolExecutor(max_workers=max(len(probes), 1), thread_name_prefix="readyz")
        self.lock = threading.Lock()
        self.cached: tuple[float, list[Check]] | None = None

    def run(self) -> list[Check]:
        futures = [(probe.name, self.pool.submit(probe.ping)) for probe in self.probes]
        deadline = time.monotonic() + self.timeout_s
        checks = []
        for name, future in futures:
            try:
                future.result(timeout=max(deadline - time.monotonic(), 0.0))
                checks.append(Check(name, True, "ok"))
            except FutureTimeout:
                checks.append(Check(name, False, f"no answer within {self.timeout_s:g}s"))
            except Exception as error:  # a probe's failure is an answer, whatever its type
                checks.append(Check(name, False, type(error).__name__))
        return checks

    def checks(self) -> list[Check]:
        with self.lock:
            now = time.monotonic()
            if self.cached is None or now - self.cached[0] >= self.cache_s:
                self.cached = (now, self.run())
            return self.cached[1]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
