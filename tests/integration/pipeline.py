"""One backend's session-long pipeline: emulator up, plan, apply, state, re-plan. Runs in a background thread
so both backends (mostly waiting on the provider's OpenSearch timer) overlap with each other and with the
unit tests; tests wait on it with progress lines."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.moto import FAKE_CREDENTIALS
from tests.integration.coverage import not_covered
from tests.integration.tier import (
    Progress,
    Subset,
    Terraform,
    TerraformError,
    covered_subset,
    graph_dependencies,
    known_transient,
)
from tools.plan import copy_tree
from tools.terraform_check import terraform_environment as tools_environment

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "integration"
ENV = "staging"
REGION = "ca-central-1"


def terraform_environment(endpoint_url: str) -> dict[str, str]:
    """The plan tooling's terraform environment, aimed at this emulator: terraform, and the aws CLI that the
    restore's local-exec starts, reach nothing else."""
    return tools_environment(
        {
            **FAKE_CREDENTIALS,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint_url,  # anything not overridden still lands on the emulator
            # the restore's local-exec runs `aws`: the CLI pinned in requirements.lock, beside this python
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )


def copy_terraform(destination: Path, root: Path | None = None) -> Path:
    """A private copy of terraform/ (modules resolve by relative path); the envs' own files stay untouched.
    `root`: another root's *.tf placed beside the envs (the seeded violations) and used instead of staging."""
    copy_tree(destination)
    if root is None:
        return destination / "envs" / ENV
    workdir = destination / "envs" / root.name
    workdir.mkdir(parents=True, exist_ok=True)
    for source in root.glob("*.tf"):
        shutil.copyfile(source, workdir / source.name)
    return workdir


@dataclass
class Pipeline:
    """The applied stack of one backend; `wait()` returns once it is applied and re-planned (or raises)."""

    backend: str
    endpoint_url: str
    write_override: Callable[[Path, str], Any]
    extra_vars: Mapping[str, str] = field(default_factory=dict)
    root: Path | None = None  # another Terraform root than staging (tests/integration/violations)
    check_drift: bool = True  # re-plan after apply (the drift check)
    progress: Progress = field(init=False)
    workdir: Path = field(init=False)
    terraform: Terraform = field(init=False)
    subset: Subset | None = None
    plan: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    replan: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    retried: list[str] = field(default_factory=list)  # known transient errors an apply was retried after
    error: BaseException | None = None
    _thread: threading.Thread | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        label = self.backend if self.root is None else f"{self.backend}-{self.root.name}"
        self.progress = Progress(label)
        self.out = BUILD / label
        self.out.mkdir(parents=True, exist_ok=True)

    @property
    def targets(self) -> tuple[str, ...]:
        """-target arguments when the emulator cannot apply everything; none when it can."""
        if self.subset is None or not self.subset.excluded:
            return ()
        return tuple(f"-target={t}" for t in self.subset.targets)

    @property
    def var_args(self) -> tuple[str, ...]:
        return tuple(f"-var={k}={v}" for k, v in sorted(self.extra_vars.items()))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"apply-{self.progress.backend}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._steps()
        except BaseException as error:  # handed to the waiting test, which fails with it
            self.error = error
            self.progress.enter(f"failed: {type(error).__name__}")
        finally:
            self._done.set()

    def _timed(self, name: str, phase: str) -> _Timer:
        self.progress.enter(phase)
        return _Timer(self.timings, name)

    def _steps(self) -> None:
        started = time.monotonic()
        with self._timed("prepare_s", "copying terraform/ and writing the emulator override"):
            self.workdir = copy_terraform(self.out / "terraform", self.root)
            self.write_override(self.workdir, self.endpoint_url)
            log = self.out / "terraform.log"
            log.write_text("")
            self.terraform = Terraform(
                self.workdir, terraform_environment(self.endpoint_url), log, self.progress
            )
        with self._timed("init_s", "terraform init"):
            self.terraform("init", "-input=false", "-no-color")
        with self._timed("subset_s", f"computing what {self.backend} covers (terraform graph)"):
            self.subset = self._covered_subset()
        with self._timed("plan_s", "terraform plan"):
            self.terraform("plan", "-input=false", "-no-color", "-out=tfplan", *self.var_args, *self.targets)
            self.plan = self.terraform.json("show", "-json", "tfplan")
            self._save("plan.json", self.plan)
        with self._timed(
            "apply_s", "terraform apply (the OpenSearch domain alone waits ~10 min in the provider)"
        ):
            self._apply()
        with self._timed("state_s", "reading the applied state"):
            self.state = self.terraform.json("show", "-json")
            self._save("state.json", self.state)
        if self.check_drift:
            with self._timed("replan_s", "re-plan after apply (drift check)"):
                self.terraform(
                    "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=replan.tfplan",
                    *self.var_args, *self.targets, ok_codes=(0, 2),
                )  # fmt: skip
                self.replan = self.terraform.json("show", "-json", "replan.tfplan")
                self._save("replan.json", self.replan)
        self.timings["pipeline_s"] = round(time.monotonic() - started, 1)
        self.progress.enter("applied and re-planned")

    def _apply(self) -> None:
        """Apply the saved plan; on the one known transient error (tier.known_transient) and only then, plan
        and apply once more, and record it. Any other error, or the same one twice, fails the pipeline."""
        try:
            self.terraform("apply", "-input=false", "-no-color", "-auto-approve", "tfplan", timeout=2700)
        except TerraformError as error:
            transient = known_transient(error.output)
            if transient is None:
                raise
            self.retried.append(transient)
            with self.terraform.log.open("a") as log:
                log.write(f"\n# known transient, applying once more: {transient}\n")
            self.progress.enter(f"retrying the apply once after a known transient: {transient}")
            self.terraform("plan", "-input=false", "-no-color", "-out=tfplan", *self.var_args, *self.targets)
            self.terraform("apply", "-input=false", "-no-color", "-auto-approve", "tfplan", timeout=2700)

    def _covered_subset(self) -> Subset:
        """From `terraform graph` alone (no extra plan): resources by config address and their dependencies."""
        _, dot = self.terraform("graph")
        dependencies = graph_dependencies(dot)
        resources = [
            node for node in dependencies if not node.startswith(("data.", "ephemeral.")) and "." in node
        ]
        managed = [node for node in resources if ".data." not in node and ".ephemeral." not in node]
        subset = covered_subset(managed, dependencies, not_covered(self.backend))
        self._save("subset.json", {"targets": subset.targets, "excluded": subset.excluded})
        return subset

    def _save(self, name: str, document: Any) -> None:
        (self.out / name).write_text(json.dumps(document, indent=1, sort_keys=True))

    def finished(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    def result(self) -> Pipeline:
        """The applied pipeline, or its error raised in the waiting test."""
        if not self._done.is_set():
            raise RuntimeError(f"{self.backend} pipeline still running")
        if self.error is not None:
            raise self.error
        return self


class _Timer:
    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *_: object) -> None:
        self.timings[self.name] = round(time.monotonic() - self.started, 1)
