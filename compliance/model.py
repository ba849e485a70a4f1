"""The one typed model every loader produces and every rule reads.

Values follow the shape of plan JSON: attributes are plain Python values, nested blocks are lists of
dicts. A value that cannot be known before apply is an `Unknown`, carrying the addresses of the
resources it derives from, so rules can follow references without guessing the value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar, cast

T = TypeVar("T")


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"


# The one order of statuses, worst first: a set of results takes the first status present among them.
WORST_FIRST: tuple[Status, ...] = (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# Most severe first; `at_least` compares by this order.
SEVERITY_ORDER: tuple[Severity, ...] = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def at_least(severity: Severity, floor: Severity) -> bool:
    """Whether `severity` is `floor` or more severe."""
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(floor)


class Origin(StrEnum):
    HCL = "hcl"
    PLAN = "plan"
    RUNTIME = "runtime"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value known only after apply (or not resolvable statically).

    `refs` are absolute resource addresses the value derives from, e.g. ``module.vpc.aws_subnet.private``
    (instance keys kept when the reference had them). An Unknown with refs is a reference to an
    existing object, so it is *set*; an Unknown without refs is simply unknown.

    A value the configuration leaves unset is None in every form, never an Unknown: the plan loader
    marks an optional+computed argument the configuration does not write as None, as HCL does.
    `dynamic` marks a plan value inside a `dynamic` block whose for_each is known only after apply: the
    block itself may stand for no block or for many.
    `parts` is the known text of a string built by a template around unknown values: literal pieces,
    None for each unknown piece (``("arn:", None, ":iam::aws:policy/ReadOnlyAccess")``); () otherwise.
    `attribute` names the attribute of a value that is exactly one resource's attribute, passed on
    unchanged (through locals, module inputs and outputs, try()); anything computed from it drops it.
    """

    refs: tuple[str, ...] = ()
    reason: str = ""
    dynamic: bool = False
    # Detail for partial evaluation, not identity: two unknowns of the same refs and reason are equal.
    parts: tuple[str | None, ...] = field(default=(), compare=False)
    attribute: str = field(default="", compare=False)  # read by a bare reference (cidr_block); "" if computed

    def __bool__(self) -> bool:
        raise TypeError("Unknown has no truth value; test it with isinstance")


UNKNOWN = Unknown()


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource, data source or provider configuration.

    address: full Terraform address with module path and instance key,
             e.g. ``module.neo4j.aws_efs_file_system.this`` or ``aws_subnet.private[0]``;
             providers are ``provider.aws`` / ``provider.aws.ALIAS`` (``module.x.provider.aws`` in a module).
    mode:    "managed", "data" or "provider".
    type:    resource type; "provider" for provider configurations.
    name:    resource name; for providers the provider name ("aws").
    module:  module path ("" for the root), e.g. ``module.neo4j``.
    provider: address of the provider configuration the resource uses (``provider.aws.replica``).
    region:  that provider's region (or the resource-level region), Unknown, or None when unset.
    values:  attribute values; never mutate.
    action:  plan action ("create", "update", "replace", "delete", "forget", "no-op", "read") or "".
    sensitive: dotted attribute paths the source marked sensitive (values must never be reported).
    """

    address: str
    mode: str
    type: str
    name: str
    module: str
    provider: str
    region: str | Unknown | None
    values: Mapping[str, Any]
    source: Source
    origin: Origin
    action: str = ""
    sensitive: frozenset[str] = frozenset()

    @property
    def unknown_paths(self) -> frozenset[str]:
        """Dotted paths (list indexes included) of every unknown value."""
        return frozenset(_unknown_paths(self.values, ""))


def _unknown_paths(value: Any, prefix: str) -> Iterator[str]:
    if isinstance(value, Unknown):
        yield prefix
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _unknown_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _unknown_paths(item, f"{prefix}.{index}" if prefix else str(index))


CANADA = frozenset({"ca-central-1", "ca-west-1"})


@dataclass(frozen=True, slots=True)
class Settings:
    """The policy a scan judges by (compliance.config reads it from compliance.toml or pyproject's
    [tool.compliance]). Defaults are the strict ones: Canada only, every bucket holds data.

    allowed_regions: where resources, replicas and copies may live.
    non_data_tag / non_data_values: a bucket tagged `non_data_tag` with one of these values holds no
        data (public assets, logs) and is spared the data-bucket rules; unset, every bucket is data.
    neo4j_ports / search_ports: the data-store ports network rules guard (Neo4j HTTPS, HTTP, Bolt;
        the OpenSearch endpoint).
    """

    allowed_regions: frozenset[str] = CANADA
    non_data_tag: str = ""
    non_data_values: frozenset[str] = frozenset()
    neo4j_ports: tuple[int, ...] = (7473, 7474, 7687)
    search_ports: tuple[int, ...] = (443,)


@dataclass(frozen=True)
class Model:
    """All resources of one scan, indexed by address and by type, and the policy they are judged by."""

    resources: tuple[Resource, ...]
    settings: Settings = field(default_factory=Settings)
    by_address: Mapping[str, Resource] = field(init=False, repr=False)
    by_type: Mapping[str, tuple[Resource, ...]] = field(init=False, repr=False)
    _instances: Mapping[str, tuple[Resource, ...]] = field(init=False, repr=False)
    _memo: dict[Hashable, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_address: dict[str, Resource] = {}
        by_type: dict[str, list[Resource]] = {}
        for resource in self.resources:
            by_address[resource.address] = resource
            by_type.setdefault(resource.type, []).append(resource)
        instances: dict[str, list[Resource]] = {}
        for resource in self.resources:
            base = _without_instance_key(resource.address)
            if base != resource.address:
                instances.setdefault(base, []).append(resource)
        object.__setattr__(self, "by_address", by_address)
        object.__setattr__(self, "by_type", {k: tuple(v) for k, v in by_type.items()})
        object.__setattr__(self, "_instances", {k: tuple(v) for k, v in instances.items()})
        object.__setattr__(self, "_memo", {})

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """An index built once per model on first use (rules that link resources would otherwise
        compare every pair and grow with the square of the plan)."""
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])

    def of_type(self, *types: str) -> tuple[Resource, ...]:
        found: list[Resource] = []
        for kind in types:
            found.extend(self.by_type.get(kind, ()))
        return tuple(found)

    def resolve(self, ref: str) -> tuple[Resource, ...]:
        """Resources a reference names: an exact address, or every instance of a counted resource.

        ``ref`` may carry an attribute suffix (``aws_kms_key.this.arn``); it is stripped.
        """
        head = ref
        while head:
            exact = self.by_address.get(head)
            if exact is not None:
                return (exact,)
            instances = self._instances.get(head)
            if instances:
                return instances
            if "." not in head:
                break
            head = head.rsplit(".", 1)[0]
        return ()


def _without_instance_key(address: str) -> str:
    """``aws_x.y`` from ``aws_x.y[0]`` or ``aws_x.y["k[1]"]``; the address itself when it has no key."""
    if not address.endswith("]"):
        return address
    start = address.rfind('["') if address.endswith('"]') else address.rfind("[")
    return address[:start] if start > 0 else address


@dataclass(frozen=True, slots=True)
class Result:
    status: Status
    message: str


def passed(message: str) -> Result:
    return Result(Status.PASS, message)


def failed(message: str) -> Result:
    return Result(Status.FAIL, message)


def unknown(message: str) -> Result:
    return Result(Status.UNKNOWN, message)


Check = Callable[[Resource, Model], "Result | None"]


@dataclass(frozen=True)
class Rule:
    """A rule and its metadata. The check returns None where the rule does not apply."""

    id: str
    title: str
    severity: Severity
    types: tuple[str, ...]
    rationale: str
    remediation: str
    controls: Mapping[str, tuple[str, ...]]
    check: Check
    help_uri: str = ""

    def __post_init__(self) -> None:
        """Refuse a malformed rule when it is built (as prowler's loader does), naming what is wrong."""
        problems = _rule_problems(self)
        if problems:
            raise RuleError(f"rule {self.id!r}: {'; '.join(problems)}")

    @property
    def family(self) -> str:
        return self.id[:3]


class RuleError(ValueError):
    """A rule whose metadata is malformed: a bug in the rule, caught when the registry loads."""


RULE_ID = re.compile(r"^(?P<family>[A-Z]{3})\d{3}$")


def _rule_problems(rule: Rule) -> list[str]:
    problems: list[str] = []
    if not RULE_ID.match(rule.id):
        problems.append("id is not a family prefix and three digits (ENC001)")
    title = rule.title.strip()
    if not title or title.lower().startswith("ensure") or not title[0].isupper() or title.endswith("."):
        problems.append("title must state the good state: capitalised, no 'Ensure', no final period")
    if not isinstance(rule.severity, Severity):
        problems.append(f"severity {rule.severity!r} is not one of {[s.value for s in Severity]}")
    if not rule.rationale.strip() or not rule.remediation.strip():
        problems.append("rationale and remediation are required")
    if not rule.types or not all(rule.types):
        problems.append("types must name at least one resource type")
    if not rule.controls or not all(rule.controls.values()):
        problems.append("controls must map at least one control of each framework named")
    from compliance.frameworks import known_controls  # the catalogue reads model types: import late

    known = known_controls()
    unknown_controls = [
        f"{framework} {control}"
        for framework, controls in rule.controls.items()
        for control in controls
        if (framework, control) not in known
    ]
    if unknown_controls:
        problems.append(f"controls not in the catalogue: {', '.join(unknown_controls)}")
    return problems


@dataclass(frozen=True, slots=True)
class Waiver:
    rule_id: str
    resource: str
    justification: str
    owner: str
    ticket: str
    expires: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    title: str
    status: Status
    severity: Severity
    resource: str
    source: Source
    controls: Mapping[str, tuple[str, ...]]
    message: str
    remediation: str
    origin: Origin
    resource_type: str = ""
    action: str = ""
    waiver: Waiver | None = None

    @property
    def id(self) -> str:
        text = "\x1f".join((self.rule_id, self.resource, self.message))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def failing(self) -> bool:
        return self.status in (Status.FAIL, Status.UNKNOWN)

    @property
    def fingerprint(self) -> str:
        """Stable across message changes: the same rule on the same resource is the same alert (SARIF
        partialFingerprints, baselines)."""
        return hashlib.sha256(f"{self.rule_id}\x1f{self.resource}".encode()).hexdigest()[:32]


class InputError(Exception):
    """Bad input: the CLI prints it on one line and exits 2. The message names the file."""
