"""The one pipeline: inputs -> resources -> Model -> engine.run -> waivers -> ScanResult.

Each input (a Terraform root or .tf file, or a plan JSON) is its own model, so resources of different
roots never resolve each other's references. The result keeps each input's resources and findings
(`ScanResult.results`: what diff, evidence and the pytest plugin consume) and all findings combined in
one stable order (what the report formats write).
When a plan and the HCL of the same root are scanned together, plan resources borrow file:line from the
HCL resource with the same address, so reports point at code rather than at the plan file, and their
unknown values from the HCL's partial evaluation (compliance.loaders.plan.completion).

Fail-closed choices:
- an input with no resources at all (no managed resource or data source) is bad input, not a pass;
- a module call the HCL loader could not follow (a registry or git source without `terraform init`'s
  .terraform/modules; mode "module") is one `unknown` finding of SCN001 (compliance.coverage) naming the
  call, its source and the fix, so the gate fails closed while the rest of the root is still judged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compliance.about import version
from compliance.config import Config, discover, load, select
from compliance.coverage import LIVE_GAP, MODULE_NOT_FOLLOWED
from compliance.engine import run
from compliance.loaders.plan import complete, judged, load_plan_file, paired
from compliance.model import Finding, InputError, Model, Resource, Rule, Severity, Source, Status, at_least
from compliance.waivers import DEFAULT as DEFAULT_WAIVERS
from compliance.waivers import apply_inline, apply_waivers, load_waivers

SOURCE_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
RESOURCE_MODES = frozenset({"managed", "data", "module"})  # a module call not followed is judged too


@dataclass(frozen=True, slots=True)
class ScanInput:
    path: str
    kind: str  # "hcl" | "plan" | "live"
    sha256: str
    terraform_version: str = ""  # of a plan, as the plan records it


@dataclass(frozen=True, slots=True)
class InputResult:
    """One input's resources (for a plan, deleted ones too, with their action) and its findings after
    waivers, in the scan's stable order."""

    input: ScanInput
    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...]

    @property
    def path(self) -> str:
        return self.input.path


@dataclass(frozen=True)
class ScanResult:
    """Everything a report needs: what was scanned, with which rules, what was found, and when."""

    inputs: tuple[ScanInput, ...]
    rules: tuple[Rule, ...]
    findings: tuple[Finding, ...]
    generated_at: str
    version: str
    results: tuple[InputResult, ...] = ()
    fail_on: Severity | None = None  # the lowest severity that fails the scan; None: every severity
    config: str = ""  # the configuration file the scan was judged by ("" for the defaults)

    def result_of(self, path: Path | str) -> InputResult:
        """The result of the input scanned from `path`."""
        return next(r for r in self.results if r.path == str(path))

    @property
    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.failing)

    @property
    def exit_code(self) -> int:
        """0 when nothing at or above `fail_on` fails or is unknown after waivers, 1 otherwise."""
        floor = self.fail_on
        return 1 if any(floor is None or at_least(f.severity, floor) for f in self.failing) else 0

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)


@dataclass(frozen=True, slots=True)
class Loaded:
    input: ScanInput
    resources: tuple[Resource, ...]


def scan(
    paths: Sequence[Path] = (),
    plans: Sequence[Path] = (),
    var_files: Sequence[Path] = (),
    waivers: Path = DEFAULT_WAIVERS,
    rules: Sequence[Rule] | None = None,
    today: dt.date | None = None,
    environ: Mapping[str, str] | None = None,
    config: Config | None = None,
    live: Sequence[Path | None] = (),
    live_account: LiveAccount | None = None,
) -> ScanResult:
    """Scan every input, combine the findings, apply the waivers. Raises InputError on bad input.

    `config` is the policy (None: the configuration file found from the first input upward, or the
    defaults): it selects the rules, overrides severities and reaches the rules as `model.settings`.
    `live` holds applied states (`terraform show -json`) whose objects are described in the account of
    `live_account` (the caller's credentials, read-only; default region from the environment); a None
    among them discovers every object of the account's regions instead."""
    if rules is None:
        from compliance.rules import RULES

        rules = RULES
    if not paths and not plans and not live:
        raise InputError(
            "scan: nothing to scan: give a Terraform PATH, --plan PLAN_JSON or --live [STATE_JSON]"
        )
    if config is None:
        config = configuration([*paths, *plans])
    from compliance.rules import rule_folders

    # A waiver may name any rule of the registry (on disk) or of this scan, selected or not.
    known_ids = {r.id for r in rules} | set(rule_folders())
    loaded_waivers = load_waivers(waivers, known_ids, today)
    where = f"{config.path}, --rule or --skip-rule" if config.path else "--rule or --skip-rule"
    rules = select(rules, config.rules, config.skip_rules, config.severity, where)
    settings = config.settings
    hcl = [load_hcl_input(p, var_files) for p in paths]
    planned = [borrow_sources(load_plan_input(p), hcl) for p in plans]
    account = live_account or LiveAccount()
    described = [load_live_input(p, account, {t for r in rules for t in r.types}) for p in live]
    loaded = (*hcl, *planned, *described)
    if any(r.mode == "module" for item in hcl for r in item.resources):
        rules = (*rules, MODULE_NOT_FOLLOWED)
    if any(r.type == LIVE_GAP.types[0] for item in described for r in item.resources):
        rules = (*rules, LIVE_GAP)
    results = tuple(
        InputResult(
            item.input,
            item.resources,
            tuple(
                map(
                    _at_statement,
                    apply_inline(
                        apply_waivers(
                            sorted(run(rules, Model(judged(item.resources), settings)), key=_order),
                            loaded_waivers,
                        ),
                        known_ids,
                    ),
                )
            ),
        )
        for item in loaded
    )
    return ScanResult(
        inputs=tuple(item.input for item in results),
        rules=tuple(rules),
        findings=tuple(sorted((f for item in results for f in item.findings), key=_order)),
        generated_at=generated_at(os.environ if environ is None else environ),
        version=version(),
        results=results,
        fail_on=config.fail_on,
        config=str(config.path or ""),
    )


def configuration(inputs: Sequence[Path], explicit: Path | None = None) -> Config:
    """The policy of a scan: `explicit` (--config), else the file found from the first input upward."""
    if explicit is not None:
        return load(explicit)
    return load(discover(inputs[0])) if inputs else Config()


def load_hcl_input(path: Path, var_files: Sequence[Path] = ()) -> Loaded:
    """A Terraform root directory (its modules followed) or a single .tf file."""
    from compliance.loaders.hcl import load_hcl  # the HCL parser is only imported when HCL is scanned

    _exists(path, "Terraform path")
    for var_file in var_files:
        _exists(var_file, "var file")
        if var_file.is_dir():
            raise InputError(f"{var_file}: var file is a directory")
    if path.is_file() and path.name.endswith(".json") and not path.name.endswith(".tf.json"):
        raise InputError(f"{path}: not Terraform source; a plan JSON goes after --plan")
    resources = load_hcl([path], var_files)
    _check_resources(path, resources)
    digest = _digest_tree(path, resources, var_files)
    return Loaded(ScanInput(str(path), "hcl", digest), resources)


def load_plan_input(path: Path) -> Loaded:
    _exists(path, "plan")
    plan = load_plan_file(path)
    _check_resources(path, plan.resources)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Loaded(ScanInput(str(path), "plan", digest, plan.terraform_version), plan.resources)


@dataclass(frozen=True, slots=True)
class LiveAccount:
    """Where `--live` describes: regions (the first is the default; else AWS_REGION) and an endpoint (an
    emulator in tests)."""

    region: str | tuple[str, ...] | None = None
    endpoint_url: str | None = None

    def regions(self) -> tuple[str, ...]:
        from compliance.loaders.live.account import default_region

        given = (self.region,) if isinstance(self.region, str) else tuple(self.region or ())
        return tuple(dict.fromkeys(given)) or (default_region(None),)


DISCOVERY = "live:discovery"
"""The input path a discovery scan (`--live` without a state) is reported under."""


def load_live_input(path: Path | None, account: LiveAccount, judged_types: Iterable[str]) -> Loaded:
    """An applied state's objects (or, with `path` None, every object discovery finds in the account's
    regions), described live with the caller's credentials (never written to)."""
    from compliance.loaders.live.account import caller_clients, discover_live, load_live, read_state

    regions = account.regions()
    clients = caller_clients(regions[0], account.endpoint_url)
    if path is None:
        resources = discover_live(clients, regions)
        where = f"{DISCOVERY}:{','.join(regions)}"
        _check_resources(Path(where), resources)
        return Loaded(ScanInput(where, "live", _digest_resources(resources)), resources)
    _exists(path, "state")
    state = read_state(path)
    resources = load_live(state, clients, frozenset(judged_types))
    _check_resources(path, resources)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Loaded(ScanInput(str(path), "live", digest, str(state.get("terraform_version") or "")), resources)


def _digest_resources(resources: Iterable[Resource]) -> str:
    """sha256 of what discovery saw (addresses and described values, in address order)."""
    import json

    digest = hashlib.sha256()
    for resource in sorted(resources, key=lambda r: r.address):
        digest.update(json.dumps([resource.address, resource.values], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _exists(path: Path, what: str) -> None:
    if not path.exists():
        raise InputError(f"{path}: {what} not found")


def _check_resources(path: Path, resources: Iterable[Resource]) -> None:
    found = False
    for resource in resources:
        found = found or resource.mode in RESOURCE_MODES
    if not found:
        raise InputError(f"{path}: no resources found to scan")


def borrow_sources(plan: Loaded, hcl: Sequence[Loaded]) -> Loaded:
    """Plan resources take file:line from HCL resources of the same address (instance keys ignored),
    and, when one HCL input is the plan's own root, their unknown values from it (compliance.loaders.plan.completion)."""
    if not hcl:
        return plan
    sources: dict[str, Source] = {}
    for item in hcl:
        for resource in item.resources:
            sources.setdefault(resource.address, resource.source)
            sources.setdefault(_without_keys(resource.address), resource.source)
    twins = paired(plan.resources, [item.resources for item in hcl]) or {}
    resources = []
    for resource in plan.resources:
        source = sources.get(resource.address) or sources.get(_without_keys(resource.address))
        twin = twins.get(resource.address)
        resources.append(
            dataclasses.replace(
                resource,
                source=resource.source if source is None else source,
                values=resource.values if twin is None else complete(resource, twin),
            )
        )
    return Loaded(plan.input, tuple(resources))


def _without_keys(address: str) -> str:
    """`module.a.aws_x.y` from `module.a["k"].aws_x.y[0]`."""
    out: list[str] = []
    depth = 0
    quoted = False
    for char in address:
        if char == '"' and depth:
            quoted = not quoted
        elif char == "[" and not quoted:
            depth += 1
        elif char == "]" and not quoted:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


def _digest_tree(path: Path, resources: Iterable[Resource], var_files: Sequence[Path]) -> str:
    """sha256 over sorted relative paths and contents of the Terraform files read.

    A file input is hashed as is. For a directory: its own .tf/.tfvars files, the .tf files of every
    module directory a resource came from (named relative to the root, e.g. ../../modules/x/main.tf)
    and the var files.
    """
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    root = path.resolve()
    files = _terraform_files(root, SOURCE_SUFFIXES)
    for folder in {Path(r.source.file).resolve().parent for r in resources if r.source.file} - {root}:
        files |= _terraform_files(folder, (".tf", ".tf.json"))
    files.update(f.resolve() for f in var_files)
    digest = hashlib.sha256()
    for name, file in sorted((os.path.relpath(f, root), f) for f in files if f.is_file()):
        digest.update(name.encode() + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _terraform_files(folder: Path, suffixes: tuple[str, ...]) -> set[Path]:
    if not folder.is_dir():
        return set()
    return {p for p in folder.iterdir() if p.is_file() and p.name.endswith(suffixes)}


def _at_statement(finding: Finding) -> Finding:
    """A finding about one policy statement points at that statement's line when the source shows it."""
    from compliance.source_text import statement_line

    source = finding.source
    if "statement" not in finding.message or source.line < 1:
        return finding
    line = statement_line(source.file, source.line, finding.message)
    return finding if line == source.line else dataclasses.replace(finding, source=Source(source.file, line))


def _order(finding: Finding) -> tuple[str, str, str, str, int, str]:
    return (
        finding.resource,
        finding.rule_id,
        finding.origin.value,
        finding.source.file,
        finding.source.line,
        finding.message,
    )


def generated_at(environ: Mapping[str, str]) -> str:
    """UTC ISO 8601: SOURCE_DATE_EPOCH when set (reproducible reports), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise InputError(f"SOURCE_DATE_EPOCH: not a Unix timestamp: {epoch!r}") from error
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
