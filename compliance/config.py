"""The policy configuration: `compliance.toml`, or `[tool.compliance]` in a pyproject.toml.

Found from the first scanned input's folder upward (the first compliance.toml, or pyproject.toml that
has a [tool.compliance] table, wins); `--config FILE` names one instead. Without either, the strict
defaults apply (Canada only, every rule, every bucket holds data). Keys:

    allowed_regions = ["ca-central-1", "ca-west-1"]
    rules = ["ENC", "IAM0*"]          # ids, families or globs; default every rule
    skip_rules = ["LOG007"]
    fail_on = "high"                  # lowest severity that fails the scan; default every severity
    [severity]                        # per rule id, family or glob
    LOG004 = "low"
    [data_buckets]                    # a bucket tagged so holds no data (public assets, logs)
    non_data_tag = "DataClass"
    non_data_values = ["public"]
    [datastore_ports]                 # the ports network rules guard (these are the defaults)
    neo4j = [7473, 7474, 7687]
    opensearch = [443]

An unknown key or a bad value is bad input (exit 2) naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compliance.model import InputError, Rule, Settings, Severity

FILE = "compliance.toml"
REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
KEYS = frozenset(
    {"allowed_regions", "rules", "skip_rules", "fail_on", "severity", "data_buckets", "datastore_ports"}
)
BUCKET_KEYS = frozenset({"non_data_tag", "non_data_values"})
PORT_KEYS = frozenset({"neo4j", "opensearch"})


@dataclass(frozen=True)
class Config:
    """What a configuration file says; `path` is None for the defaults."""

    settings: Settings = field(default_factory=Settings)
    rules: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    fail_on: Severity | None = None
    severity: Mapping[str, Severity] = field(default_factory=dict)
    path: Path | None = None


def discover(start: Path) -> Path | None:
    """The configuration file that governs `start` (a folder or a file), searching upward."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / FILE).is_file():
            return candidate / FILE
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "compliance" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def load(path: Path | None) -> Config:
    """The configuration in `path` (None: the defaults). Raises InputError naming the file and key."""
    if path is None:
        return Config()
    if not path.is_file():
        raise InputError(f"{path}: configuration file not found")
    table = _read(path)
    if path.name == "pyproject.toml" or "tool" in table:
        table = table.get("tool", {}).get("compliance", {})
    return _parse(path, table)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: not a readable TOML file: {error}") from error


def _parse(path: Path, table: Mapping[str, Any]) -> Config:
    def bad(key: str, problem: str) -> InputError:
        return InputError(f"{path}: {key}: {problem}")

    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise bad(unknown[0], f"unknown key (known: {', '.join(sorted(KEYS))})")
    regions = _strings(table, "allowed_regions", bad)
    for region in regions:
        if not REGION.match(region):
            raise bad("allowed_regions", f"{region!r} is not an AWS region name")
    if "allowed_regions" in table and not regions:
        raise bad("allowed_regions", "must name at least one region")
    buckets = table.get("data_buckets", {})
    if not isinstance(buckets, Mapping):
        raise bad("data_buckets", "must be a table")
    extra = sorted(set(buckets) - BUCKET_KEYS)
    if extra:
        raise bad(f"data_buckets.{extra[0]}", f"unknown key (known: {', '.join(sorted(BUCKET_KEYS))})")
    tag = buckets.get("non_data_tag", "")
    if not isinstance(tag, str):
        raise bad("data_buckets.non_data_tag", "must be a string")
    values = _strings(buckets, "non_data_values", bad, "data_buckets.")
    if bool(tag) != bool(values):
        raise bad("data_buckets", "non_data_tag and non_data_values go together")
    severity = table.get("severity", {})
    if not isinstance(severity, Mapping):
        raise bad("severity", "must be a table of rule pattern = severity")
    ports = _ports(table.get("datastore_ports", {}), bad)
    defaults = Settings()
    settings = Settings(
        allowed_regions=frozenset(regions) if regions else defaults.allowed_regions,
        non_data_tag=tag,
        non_data_values=frozenset(values),
        neo4j_ports=ports.get("neo4j", defaults.neo4j_ports),
        search_ports=ports.get("opensearch", defaults.search_ports),
    )
    return Config(
        settings=settings,
        rules=tuple(_strings(table, "rules", bad)),
        skip_rules=tuple(_strings(table, "skip_rules", bad)),
        fail_on=_severity(table["fail_on"], "fail_on", bad) if "fail_on" in table else None,
        severity={k: _severity(v, f"severity.{k}", bad) for k, v in severity.items()},
        path=path,
    )


def _strings(table: Mapping[str, Any], key: str, bad: Any, prefix: str = "") -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise bad(f"{prefix}{key}", "must be a list of non-empty strings")
    return value


def _ports(table: Any, bad: Any) -> dict[str, tuple[int, ...]]:
    if not isinstance(table, Mapping):
        raise bad("datastore_ports", "must be a table")
    extra = sorted(set(table) - PORT_KEYS)
    if extra:
        raise bad(f"datastore_ports.{extra[0]}", f"unknown key (known: {', '.join(sorted(PORT_KEYS))})")
    found: dict[str, tuple[int, ...]] = {}
    for key, value in table.items():
        valid = isinstance(value, list) and value and all(type(p) is int and 0 < p < 65536 for p in value)
        if not valid:
            raise bad(f"datastore_ports.{key}", "must be a non-empty list of port numbers (1-65535)")
        found[key] = tuple(value)
    return found


def _severity(value: Any, key: str, bad: Any) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise bad(key, f"{value!r} is not one of {', '.join(s.value for s in Severity)}") from None


def parse_severity(value: str) -> Severity:
    """A severity named on the command line (any case); InputError otherwise."""
    try:
        return Severity(value.lower())
    except ValueError:
        raise InputError(
            f"--fail-on: {value!r} is not one of {', '.join(s.value for s in Severity)}"
        ) from None


def matches(rule: Rule, pattern: str) -> bool:
    """A rule id ("ENC001"), a family ("ENC") or a glob over ids ("ENC0*")."""
    pattern = pattern.upper()
    return pattern == rule.family or fnmatch.fnmatchcase(rule.id, pattern)


def select(
    rules: Sequence[Rule],
    include: Iterable[str],
    exclude: Iterable[str],
    severity: Mapping[str, Severity],
    where: str,
) -> tuple[Rule, ...]:
    """The rules a scan runs: those matching any `include` pattern (all when none), minus `exclude`,
    with severity overrides applied. A pattern that matches no rule is a typo: InputError."""
    include, exclude = list(include), list(exclude)
    for pattern in (*include, *exclude, *severity):
        if not any(matches(rule, pattern) for rule in rules):
            raise InputError(f"{where}: rule pattern {pattern!r} matches no rule")
    chosen = [
        rule
        for rule in rules
        if (not include or any(matches(rule, p) for p in include))
        and not any(matches(rule, p) for p in exclude)
    ]
    if not chosen:
        raise InputError(f"{where}: the rule selection leaves no rule to run")
    return tuple(_overridden(rule, severity) for rule in chosen)


def _overridden(rule: Rule, severity: Mapping[str, Severity]) -> Rule:
    for pattern, level in severity.items():
        if matches(rule, pattern):
            return replace(rule, severity=level)
    return rule
