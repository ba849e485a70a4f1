"""The integration tier's machinery: terraform runs with progress, the covered subset, drift and agreement.

Kept apart from the fixtures so the pure parts (graph, drift, agreement) are unit-tested without an apply.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.model import Finding, Status

# --- progress ---------------------------------------------------------------------------------------------


@dataclass
class Progress:
    """What one backend's pipeline is doing now, for the progress lines printed while tests wait."""

    backend: str
    phase: str = "queued"
    phase_started: float = field(default_factory=time.monotonic)
    detail: str = ""
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def enter(self, phase: str) -> None:
        with self.lock:
            self.phase, self.phase_started, self.detail, self.done = phase, time.monotonic(), "", 0

    def note(self, line: str) -> None:
        with self.lock:
            if _COMPLETE.search(line):
                self.done += 1
            if _ACTIVITY.search(line):
                self.detail = line.strip()

    def line(self) -> str:
        with self.lock:
            elapsed = time.monotonic() - self.phase_started
            done = f", {self.done} done" if self.done else ""
            detail = f"; last: {self.detail}" if self.detail else ""
            return f"[{self.backend}] {self.phase} ({_clock(elapsed)} elapsed{done}){detail}"


_COMPLETE = re.compile(r"(Creation|Modifications|Destruction|Read) complete")
_ACTIVITY = re.compile(
    r"Still (creating|modifying|destroying|reading)|Creating\.\.\.|Modifying\.\.\.|Provisioning"
)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


# --- terraform --------------------------------------------------------------------------------------------


_CHILDREN: set[subprocess.Popen[str]] = set()
_CHILDREN_LOCK = threading.Lock()


def kill_terraform() -> None:
    """Kill terraform runs still going (session end after a failure or an interruption)."""
    with _CHILDREN_LOCK:
        running = list(_CHILDREN)
    for process in running:
        if process.poll() is None:
            process.kill()


class TerraformError(RuntimeError):
    """A terraform command failed; the message carries the tail of its output and the log path."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


_ERROR = re.compile(r"^Error: (.*)$", re.MULTILINE)
# The AWS SDK retried a CreateRole that had already succeeded (LocalStack under load): the retry's 409 is the
# only error. The role's name comes from name_prefix, so a second apply creates it under a fresh name.
_KNOWN_TRANSIENT = re.compile(
    r"creating IAM Role \((s3-replication-[0-9a-f]+)\): operation error IAM: CreateRole, .*"
    r"EntityAlreadyExists: Role with name \1 already exists"
)


def known_transient(output: str) -> str | None:
    """The known transient error when it is the only kind of error in `output`, else None (a real failure)."""
    errors = _ERROR.findall(output)
    if errors and all(_KNOWN_TRANSIENT.search(error) for error in errors):
        return "; ".join(errors)
    return None


@dataclass
class Terraform:
    """Runs terraform in one working directory, appending everything to one log file."""

    workdir: Path
    env: Mapping[str, str]
    log: Path
    progress: Progress

    def __call__(self, *args: str, timeout: float = 1800, ok_codes: Sequence[int] = (0,)) -> tuple[int, str]:
        """Run `terraform ARGS`; return (exit code, stdout). Lines feed the progress and the log."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = ["terraform", *args]
        with self.log.open("a") as log:
            log.write(f"\n$ {' '.join(command)}\n")
            log.flush()
            process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=dict(self.env),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
            )
            with _CHILDREN_LOCK:
                _CHILDREN.add(process)
            timer = threading.Timer(timeout, process.kill)
            timer.start()
            lines: list[str] = []
            try:
                assert process.stdout is not None
                for line in process.stdout:
                    lines.append(line)
                    log.write(line)
                    log.flush()
                    self.progress.note(line)
                code = process.wait()
            finally:
                timer.cancel()
                if process.poll() is None:
                    process.kill()
                with _CHILDREN_LOCK:
                    _CHILDREN.discard(process)
        output = "".join(lines)
        if code not in ok_codes:
            tail = "\n".join(output.splitlines()[-40:])
            raise TerraformError(
                f"terraform {' '.join(args)} exited {code} in {self.workdir}:\n{tail}\n(log: {self.log})",
                output,
            )
        return code, output

    def json(self, *args: str) -> Any:
        """`terraform show -json ...` and friends, parsed (kept out of the log: it is large)."""
        done = subprocess.run(
            ["terraform", *args],
            cwd=self.workdir,
            env=dict(self.env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise TerraformError(
                f"terraform {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}"
            )
        return json.loads(done.stdout)


# --- the covered subset (LocalStack) ----------------------------------------------------------------------

_NODE = re.compile(r'^\s*"([^"]+)"\s*\[label=')
_EDGE = re.compile(r'^\s*"([^"]+)"\s*->\s*"([^"]+)"')


def graph_dependencies(dot: str) -> dict[str, set[str]]:
    """`terraform graph` (resources only) -> config address -> the addresses it depends on, transitively."""
    direct: dict[str, set[str]] = {}
    for line in dot.splitlines():
        if edge := _EDGE.match(line):
            direct.setdefault(edge.group(1), set()).add(edge.group(2))
            direct.setdefault(edge.group(2), set())
        elif node := _NODE.match(line):
            direct.setdefault(node.group(1), set())
    closed: dict[str, set[str]] = {}

    def visit(address: str, path: frozenset[str]) -> set[str]:
        if address in closed:
            return closed[address]
        found: set[str] = set()
        for dependency in direct.get(address, ()):
            if dependency not in path:
                found |= {dependency} | visit(dependency, path | {dependency})
        closed[address] = found
        return found

    for address in direct:
        visit(address, frozenset({address}))
    return closed


def config_address(address: str) -> str:
    """`module.a["x"].aws_b.c[0]` -> `module.a.aws_b.c` (the graph's and -target's config form)."""
    return re.sub(r'\[(?:"[^"]*"|\d+)\]', "", address)


def resource_type(address: str) -> str:
    parts = config_address(address).split(".")
    return parts[-2] if len(parts) >= 2 else ""


@dataclass(frozen=True)
class Subset:
    """What an emulator can apply: the targets, and each left-out resource with the reason."""

    targets: tuple[str, ...]
    excluded: Mapping[str, str]


def covered_subset(
    planned: Iterable[str], dependencies: Mapping[str, set[str]], not_covered: Callable[[str], str | None]
) -> Subset:
    """Managed resources whose own type and every dependency's type the emulator covers."""
    targets: set[str] = set()
    excluded: dict[str, str] = {}
    for address in planned:
        node = config_address(address)
        if reason := not_covered(resource_type(node)):
            excluded[address] = reason
            continue
        blocked = sorted(
            dep
            for dep in dependencies.get(node, ())
            if not dep.startswith("data.") and not_covered(resource_type(dep))
        )
        if blocked:
            excluded[address] = f"depends on {blocked[0]} ({not_covered(resource_type(blocked[0]))})"
            continue
        targets.add(node)
    return Subset(tuple(sorted(targets)), excluded)


# --- drift ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quirk:
    """A known emulator difference that is not drift: which backend, where, and why."""

    backends: tuple[str, ...]
    address: str  # fnmatch pattern over the resource address
    attribute: str  # fnmatch pattern over the changed attribute path ("*" for a whole-resource action)
    reason: str

    def covers(self, backend: str, address: str, attribute: str) -> bool:
        return (
            backend in self.backends
            and fnmatch.fnmatchcase(address, self.address)
            and fnmatch.fnmatchcase(attribute, self.attribute)
        )


@dataclass(frozen=True)
class Change:
    address: str
    actions: tuple[str, ...]
    attributes: tuple[str, ...]


def changed_paths(before: Any, after: Any, unknown: Any, prefix: str = "") -> list[str]:
    """Dotted paths whose value differs between `before` and `after` (unknown after counts as changed)."""
    if unknown is True:
        return [prefix or "*"]
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        found: list[str] = []
        unknown_map = unknown if isinstance(unknown, Mapping) else {}
        for key in sorted(set(before) | set(after) | set(unknown_map)):
            found += changed_paths(
                before.get(key), after.get(key), unknown_map.get(key), f"{prefix}.{key}".lstrip(".")
            )
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = []
        unknown_list = unknown if isinstance(unknown, list) else [None] * len(after)
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            hint = unknown_list[index] if index < len(unknown_list) else None
            found += changed_paths(old, new, hint, f"{prefix}.{index}".lstrip("."))
        return found
    if _empty(before) and _empty(after):
        return []
    return [] if before == after else [prefix or "*"]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def plan_changes(plan: Mapping[str, Any]) -> list[Change]:
    """Managed resource changes of a plan other than no-op, with the attribute paths that change."""
    changes: list[Change] = []
    for item in plan.get("resource_changes") or ():
        change = item.get("change") or {}
        actions = tuple(change.get("actions") or ())
        if item.get("mode") != "managed" or actions in (("no-op",), ("read",)):
            continue
        if actions == ("update",):
            paths = changed_paths(change.get("before"), change.get("after"), change.get("after_unknown"))
        else:
            paths = ["*"]
        changes.append(Change(str(item["address"]), actions, tuple(paths)))
    return changes


@dataclass(frozen=True)
class Drift:
    real: tuple[Change, ...]
    explained: tuple[tuple[Change, str], ...]  # (change, the quirks' reasons)


def classify_drift(changes: Iterable[Change], backend: str, quirks: Iterable[Quirk]) -> Drift:
    """Split re-plan changes into real drift and known emulator quirks (every changed path must be covered)."""
    quirks = tuple(quirks)
    real: list[Change] = []
    explained: list[tuple[Change, str]] = []
    for change in changes:
        attributes = change.attributes if change.actions == ("update",) else ("*",)
        reasons: list[str] = []
        for attribute in attributes:
            quirk = next((q for q in quirks if q.covers(backend, change.address, attribute)), None)
            if quirk is None:
                real.append(change)
                break
            reasons.append(quirk.reason)
        else:
            explained.append((change, "; ".join(sorted(set(reasons)))))
    return Drift(tuple(real), tuple(explained))


# --- plan versus live -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    rule_id: str
    resource: str
    plan: str  # status or "not judged"
    live: str
    detail: str

    def __str__(self) -> str:
        return f"{self.resource} {self.rule_id}: plan {self.plan}, live {self.live} ({self.detail})"


@dataclass(frozen=True)
class Agreement:
    compared: int  # (rule, resource) pairs the plan judged in scope
    agreed: int
    resolved: tuple[Disagreement, ...]  # the plan could not know (UNKNOWN); live could, and did not fail
    live_only: tuple[Disagreement, ...]  # not applicable before apply (value unknown then), judged live
    disagreements: tuple[Disagreement, ...]
    explained: tuple[tuple[Disagreement, str], ...]


def compare_findings(
    plan: Iterable[Finding],
    live: Iterable[Finding],
    scope: Callable[[str], bool],
    explain: Callable[[str, str], str | None] = lambda _rule, _resource: None,
) -> Agreement:
    """Every (rule, resource) the plan judged within scope must be judged live with the same status.

    A plan UNKNOWN that live judges without failing is resolved (the plan could not know); a live FAIL the
    plan did not show (plan UNKNOWN, or not judged before apply) is a disagreement: the gate let through
    what the live account fails. A disagreement that `explain` justifies (an emulator that does not store a
    setting, a property of Terraform state rather than of the live object) stays visible with its reason.
    """
    planned = {(f.rule_id, f.resource): f for f in plan if scope(f.resource)}
    observed = {(f.rule_id, f.resource): f for f in live if scope(f.resource)}
    agreed = 0
    resolved: list[Disagreement] = []
    live_only: list[Disagreement] = []
    disagreements: list[Disagreement] = []
    explained: list[tuple[Disagreement, str]] = []
    for key in sorted(set(planned) | set(observed)):
        before, after = planned.get(key), observed.get(key)
        if before is not None and after is not None and before.status is after.status:
            agreed += 1
            continue
        item = Disagreement(
            rule_id=key[0],
            resource=key[1],
            plan=before.status.value if before else "not judged",
            live=after.status.value if after else "not judged",
            detail=(after.message if after else before.message if before else ""),
        )
        live_fail = after is not None and after.status is Status.FAIL
        if (reason := explain(*key)) is not None:
            explained.append((item, reason))
        elif live_fail:
            disagreements.append(item)
        elif before is None:
            live_only.append(item)
        elif before.status is Status.UNKNOWN:
            resolved.append(item)
        else:
            disagreements.append(item)
    return Agreement(
        len(planned), agreed, tuple(resolved), tuple(live_only), tuple(disagreements), tuple(explained)
    )
