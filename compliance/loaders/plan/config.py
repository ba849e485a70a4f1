"""The `configuration` section of a plan: which provider each resource uses, and where references lead.

Plan JSON tells us that a value is unknown (`after_unknown`) but not what it derives from; the
configuration's expressions do. References are written relative to the module they appear in
(``aws_kms_key.this.arn``, ``module.vpc.private_subnets[0]``, ``var.kms_key_arn``); this module maps them
to absolute resource addresses by following module outputs down and module inputs up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

ModulePath = tuple[str, ...]  # module call names from the root, instance keys dropped

_MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(\[(?:"[^"]*"|[^\]]*)\])?\.?')
_RESOURCE = re.compile(r'(data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\[(?:"[^"]*"|[^\]]*)\])?')
_NOT_RESOURCES = frozenset({"count", "each", "path", "self", "terraform", "local"})


class Written(Enum):
    """How the configuration writes a value the plan leaves unknown, when no expression stands behind it."""

    UNSET = "unset"  # not written: the provider's default, known after apply
    DYNAMIC = "dynamic"  # inside a `dynamic` block, which the configuration section omits


def module_steps(address: str) -> tuple[list[tuple[str, str]], str]:
    """Split ``module.a[0].module.b.aws_x.y`` into ([("a", "[0]"), ("b", "")], "aws_x.y")."""
    steps: list[tuple[str, str]] = []
    position = 0
    while address.startswith("module.", position):
        match = _MODULE_STEP.match(address, position)
        if match is None:
            break
        steps.append((match.group(1), match.group(2) or ""))
        position = match.end()
    return steps, address[position:]


def module_prefix(steps: list[tuple[str, str]]) -> str:
    return ".".join(f"module.{name}{key}" for name, key in steps)


def join(prefix: str, rest: str) -> str:
    return f"{prefix}.{rest}" if prefix and rest else prefix or rest


@dataclass
class ModuleConfig:
    """One module's configuration, indexed once so lookups never scan lists."""

    resources: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    calls: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    outputs: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)


class Configuration:
    """Index of a plan's configuration: modules by path, references resolved with a cache."""

    def __init__(self, configuration: Mapping[str, Any], root_variables: Mapping[str, Any]) -> None:
        self.modules: dict[ModulePath, ModuleConfig] = {}
        self.providers: Mapping[str, Any] = as_mapping(configuration.get("provider_config"))
        self.root_variables = root_variables
        self._refs: dict[tuple[ModulePath, str, str], tuple[str, ...]] = {}
        self._index((), as_mapping(configuration.get("root_module")))

    def _index(self, path: ModulePath, module: Mapping[str, Any]) -> None:
        config = ModuleConfig(
            resources={
                str(r.get("address")): r for r in as_list(module.get("resources")) if isinstance(r, dict)
            },
            calls={str(k): as_mapping(v) for k, v in as_mapping(module.get("module_calls")).items()},
            outputs=as_mapping(module.get("outputs")),
            variables=as_mapping(module.get("variables")),
        )
        self.modules[path] = config
        for name, call in config.calls.items():
            self._index((*path, name), as_mapping(call.get("module")))

    def resource(self, path: ModulePath, address: str) -> Mapping[str, Any]:
        """The configuration block of a resource (address without module path and instance key)."""
        module = self.modules.get(path)
        return module.resources.get(address, {}) if module else {}

    def refs(self, path: ModulePath, prefix: str, references: Any) -> tuple[str, ...]:
        """Absolute resource addresses behind an expression's references, most specific first."""
        found: dict[str, None] = {}
        for reference in as_list(references):
            if isinstance(reference, str):
                for address in self._ref(path, prefix, reference):
                    found[address] = None
        return _most_specific(found)

    def _ref(self, path: ModulePath, prefix: str, reference: str) -> tuple[str, ...]:
        key = (path, prefix, reference)
        cached = self._refs.get(key)
        if cached is None:
            self._refs[key] = ()  # cycle guard
            cached = tuple(self._resolve(path, prefix, reference))
            self._refs[key] = cached
        return cached

    def _resolve(self, path: ModulePath, prefix: str, reference: str) -> Iterator[str]:
        parts = reference.split(".")
        head = parts[0]
        if head in _NOT_RESOURCES or len(parts) < 2:
            return
        if head == "var":
            yield from self._module_input(path, prefix, parts[1].split("[")[0])
        elif head == "module":
            yield from self._module_output(path, prefix, reference)
        else:
            match = _RESOURCE.match(reference)
            if match is not None:
                yield join(prefix, match.group(0))

    def _module_input(self, path: ModulePath, prefix: str, name: str) -> Iterator[str]:
        """`var.x` inside a module: follow the calling module's argument for x."""
        if not path:
            return
        parent = self.modules.get(path[:-1])
        call = parent.calls.get(path[-1], {}) if parent else {}
        expression = as_mapping(as_mapping(call.get("expressions")).get(name))
        steps, _ = module_steps(prefix + ".")
        parent_prefix = module_prefix(steps[:-1])
        yield from self.refs(path[:-1], parent_prefix, expression.get("references"))

    def _module_output(self, path: ModulePath, prefix: str, reference: str) -> Iterator[str]:
        """`module.m.out` (or `module.m[key].out`): follow the output's expression into the child."""
        match = _MODULE_STEP.match(reference)
        if match is None:
            return
        name, key = match.group(1), match.group(2) or ""
        rest = reference[match.end() :]
        output = rest.split(".")[0].split("[")[0]
        child_path = (*path, name)
        child = self.modules.get(child_path)
        if not output or child is None:
            return
        expression = as_mapping(as_mapping(child.outputs.get(output)).get("expression"))
        yield from self.refs(child_path, join(prefix, f"module.{name}{key}"), expression.get("references"))

    def expression_refs(
        self, path: ModulePath, prefix: str, expressions: Any, keys: list[str]
    ) -> tuple[str, ...] | Written:
        """References of the expression at a value path inside a resource's `expressions`; UNSET when
        the configuration plainly does not set that value, DYNAMIC when it lies in a block the
        configuration section omits.

        Nested blocks are lists of expression dicts; a leaf expression ({"references": ...}) covers every
        value below it (a list attribute whose elements are unknown); a whole unknown block takes the
        references of every expression inside it. UNSET only when the missing key is the value itself:
        a value inside a block the configuration lacks comes from a `dynamic` block (which the
        configuration section omits), so it is not unset.
        """
        current: Any = expressions
        for depth, key in enumerate(keys):
            if isinstance(current, list):
                if key.isdecimal():
                    index = int(key)
                    if index >= len(current):
                        return Written.DYNAMIC  # more blocks than written: dynamic ones
                    current = current[index]
                    continue
                if not current:
                    return Written.DYNAMIC
                current = current[0]
            if not isinstance(current, dict):
                return ()
            if _is_leaf(current):
                break
            if key not in current:
                return Written.UNSET if depth == len(keys) - 1 else Written.DYNAMIC
            current = current[key]
        return self.refs(path, prefix, list(_all_references(current)))


def _all_references(expression: Any) -> Iterator[str]:
    if isinstance(expression, list):
        for item in expression:
            yield from _all_references(item)
    elif isinstance(expression, dict):
        if _is_leaf(expression):
            yield from (r for r in as_list(expression.get("references")) if isinstance(r, str))
        else:
            for item in expression.values():
                yield from _all_references(item)


def _is_leaf(expression: Mapping[str, Any]) -> bool:
    return "references" in expression or "constant_value" in expression


def _most_specific(found: Mapping[str, None]) -> tuple[str, ...]:
    """Drop `aws_subnet.private` when `aws_subnet.private[0]` is also referenced."""
    addresses = list(found)
    return tuple(a for a in addresses if not any(o != a and o.startswith(a + "[") for o in addresses))


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object, or {} for anything else: plans may be malformed at any key."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """A JSON array, or [] for anything else."""
    return value if isinstance(value, list) else []
