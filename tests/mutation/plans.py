"""Real `terraform plan` runs of mutated copies of terraform/, cached in build/ by the tree's content.

One copy of the repository's terraform/ per session; each env root is initialised once and planned
against an embedded moto server (tools.plan.plan_root), started only when a plan is not cached. The
cache key is the sha256 of every file of the mutated tree, so a rerun with unchanged mutants and stack
plans nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from emulator.moto import MotoServer
from emulator.override import OVERRIDE_FILE
from tools.plan import plan_root

SKIPPED = (".terraform", ".terraform.lock.hcl", OVERRIDE_FILE, "plan.tfplan")


def tree_digest(terraform: Path, env: str) -> str:
    """sha256 of the env name and every file of the tree that can change a plan."""
    digest = hashlib.sha256(env.encode())
    for path in sorted(terraform.rglob("*")):
        relative = path.relative_to(terraform)
        if path.is_file() and not any(part in SKIPPED for part in relative.parts):
            digest.update(str(relative).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PlanRun:
    env: str
    label: str
    seconds: float
    cached: bool


@dataclass
class Planner:
    """Plans env roots of `tree` (a copy of the repository holding terraform/) into `cache`."""

    tree: Path
    cache: Path
    work: Path
    resources: ExitStack
    runs: list[PlanRun]
    used: set[Path] = field(default_factory=set)
    _url: str | None = None
    _initialised: set[str] = field(default_factory=set)

    def plan(self, env: str, label: str) -> Path:
        """The plan JSON of the tree as it is now (cached by its content)."""
        started = time.monotonic()
        terraform = self.tree / "terraform"
        out = self.cache / f"{env}-{tree_digest(terraform, env)}.json"
        self.used.add(out)
        if out.exists():
            self.runs.append(PlanRun(env, label, time.monotonic() - started, cached=True))
            return out
        root = terraform / "envs" / env
        try:
            text = plan_root(f"{label}", root, self._server(), init=env not in self._initialised)
        finally:
            for leftover in (OVERRIDE_FILE, "plan.tfplan"):
                (root / leftover).unlink(missing_ok=True)  # the HCL scan of the root must not see them
        self._initialised.add(env)
        self.cache.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(text)
        partial.replace(out)
        self.runs.append(PlanRun(env, label, time.monotonic() - started, cached=False))
        return out

    def _server(self) -> str:
        if self._url is None:
            self._url = self.resources.enter_context(MotoServer(self.work))
        return self._url

    def prune(self) -> None:
        """Drop cached plans this session did not use (call only when every batch was planned)."""
        for stale in set(self.cache.glob("*.json")) - self.used:
            stale.unlink()
