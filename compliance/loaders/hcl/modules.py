"""Module instances: variables, locals, outputs, module calls and provider configurations.

A `ModuleInstance` evaluates lazily and memoises what it computed, so references between modules
(`module.vpc.private_subnet_ids`) are resolved through the child's output expression on demand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.loaders.hcl.bodies import evaluate_body, object_references
from compliance.loaders.hcl.config import ModuleConfig, config_files, load_config
from compliance.loaders.hcl.eval import Evaluator
from compliance.loaders.hcl.installed import NOT_INSTALLED, manifest_key, read_manifest
from compliance.loaders.hcl.parse import Block, JsonExpr, display
from compliance.loaders.hcl.protocols import Step
from compliance.loaders.hcl.types import convert, parse_type
from compliance.loaders.hcl.values import EvalError, has_unknown, merge_unknown, number, redact, to_string
from compliance.model import InputError, Source, Unknown

MAX_MODULE_DEPTH = 16
"""Module calls nested deeper than this are refused (Terraform has no limit; real trees stay under 5)."""
MAX_INSTANCES = 10_000
"""A count or for_each expanding to more instances than this is refused as bad input."""
MAX_TOTAL_INSTANCES = 200_000
"""Nested expansions (a module's for_each times its resources' counts) are bounded too."""


@dataclass(frozen=True)
class ProviderConfig:
    address: str
    region: Any
    block: Block | None
    values: dict[str, Any]
    sensitive: frozenset[str]


class Loader:
    """Shared state of one scan: the evaluator, root variables, limits and implicit providers."""

    def __init__(self, root_dir: Path, allowed: Path, tfvars: dict[str, Any]) -> None:
        self.evaluator = Evaluator()
        self.root_dir = root_dir
        self.allowed = allowed
        self.tfvars = tfvars
        self.implicit: dict[str, tuple[str, str, Source]] = {}  # address -> (module, name, first user)
        self._configs: dict[Path, ModuleConfig] = {}
        self.variables_emitted: set[str] = set()  # module paths whose variables were emitted
        self.instances = 0  # expanded instances so far, against MAX_TOTAL_INSTANCES
        self.installed = read_manifest(root_dir)  # None: the root was never initialised

    def config(self, directory: Path) -> ModuleConfig:
        """The configuration of a module directory, read once per scan."""
        config = self._configs.get(directory)
        if config is None:
            config = self._configs[directory] = load_config(directory, config_files(directory))
        return config


class ModuleInstance:
    def __init__(
        self,
        loader: Loader,
        config: ModuleConfig,
        address: str,
        call: Block | None = None,
        parent: Context | None = None,
        chain: tuple[Path, ...] = (),
        static: str = "",
    ) -> None:
        self.loader = loader
        self.config = config
        self.address = address
        self.static = static  # the address without instance keys (module.a.module.b)
        self.call = call
        self.parent = parent
        self.chain = chain
        self._values: dict[tuple[str, str], tuple[Any, bool]] = {}
        self._busy: set[tuple[str, str]] = set()
        self._calls: dict[str, ModuleCall] = {}
        self._expansions: dict[tuple[str, str], Expansion] = {}
        self._providers: dict[tuple[str, str | None], ProviderConfig] | None = None
        self.context = Context(self)

    @property
    def prefix(self) -> str:
        return self.address + "." if self.address else ""

    # --- named values ---------------------------------------------------------------------------

    def _memo(self, kind: str, name: str, compute: Any) -> Any:
        key = (kind, name)
        evaluator = self.loader.evaluator
        if key not in self._values:
            if key in self._busy:
                raise EvalError(f"{kind} {name} depends on itself")
            self._busy.add(key)
            outer, evaluator.sensitive = evaluator.sensitive, False
            try:
                value = compute()
                self._values[key] = (value, evaluator.sensitive)
            finally:
                self._busy.discard(key)
                evaluator.sensitive = outer or evaluator.sensitive
        value, sensitive = self._values[key]
        evaluator.sensitive = evaluator.sensitive or sensitive
        return value

    def variable(self, name: str) -> Any:
        block = self.config.variables.get(name)
        if block is None:
            raise EvalError(f"variable {name} is not declared")
        return self._memo("variable", name, lambda: self._variable(name, block))

    def _variable(self, name: str, block: Block) -> Any:
        evaluator = self.loader.evaluator
        value: Any = _MISSING
        if self.call is None:
            if name in self.loader.tfvars:
                value = self.loader.tfvars[name]
        elif name in self.call.attrs and self.parent is not None:
            value = evaluator.value_or_unknown(self.call.attrs[name].expr, self.parent, {})
        default = block.attrs.get("default")
        nullable = block.attrs.get("nullable")
        not_nullable = nullable is not None and self._evaluate_quietly(nullable.expr) is False
        if value is None and default is not None and not_nullable:
            value = _MISSING
        if value is _MISSING:
            if default is None:
                return Unknown(reason=f"variable {name} has no value")
            value = evaluator.value_or_unknown(default.expr, self.context, {})
        if self.declared_flag(block, "sensitive"):
            evaluator.sensitive = True
        type_attr = block.attrs.get("type")
        if type_attr is None:
            return value
        return convert(value, parse_type(type_attr.expr), lambda node: self._evaluate(node))

    def local(self, name: str) -> Any:
        attr = self.config.locals.get(name)
        if attr is None:
            raise EvalError(f"local value {name} is not declared")
        return self._memo("local", name, lambda: self._evaluate(attr.expr))

    def output(self, name: str) -> Any:
        block = self.config.outputs.get(name)
        if block is None or "value" not in block.attrs:
            raise EvalError(f"module {self.address} has no output {name}")

        def compute() -> Any:
            value = self.loader.evaluator.value_or_unknown(block.attrs["value"].expr, self.context, {})
            if self.declared_flag(block, "sensitive"):
                self.loader.evaluator.sensitive = True
            return value

        return self._memo("output", name, compute)

    def declared_flag(self, block: Block, name: str) -> bool:
        """A literal true/false argument such as `sensitive = true`."""
        attr = block.attrs.get(name)
        return attr is not None and self._evaluate_quietly(attr.expr) is True

    def outputs(self) -> dict[str, Any]:
        return {name: self.output(name) for name in self.config.outputs}

    def _evaluate(self, node: Any) -> Any:
        return self.loader.evaluator.evaluate(node, self.context, {})

    def context_value(self, node: Any) -> Any:
        """An expression's value in this instance, Unknown where it cannot be known."""
        return self._evaluate_quietly(node)

    def _evaluate_quietly(self, node: Any) -> Any:
        return self.loader.evaluator.value_or_unknown(node, self.context, {})

    # --- module calls ---------------------------------------------------------------------------

    def module_call(self, name: str) -> ModuleCall:
        call = self._calls.get(name)
        if call is None:
            block = self.config.modules.get(name)
            if block is None:
                raise EvalError(f"module {name} is not declared")
            if ("call", name) in self._busy:
                raise EvalError(f"module {name} count/for_each depends on itself")
            self._busy.add(("call", name))
            try:
                call = ModuleCall(self, name, block)
            finally:
                self._busy.discard(("call", name))
            self._calls[name] = call
        return call

    def expansion(self, block: Block) -> Expansion:
        """The instances of a resource or data block (memoised: references check instance keys)."""
        key = ("expansion", f"{block.type}.{'.'.join(block.labels)}")
        if key not in self._expansions:
            if key in self._busy:
                raise EvalError(f"count/for_each of {key[1]} depends on itself")
            self._busy.add(key)
            try:
                self._expansions[key] = expand(self, block)
            finally:
                self._busy.discard(key)
        return self._expansions[key]

    def module_calls(self) -> Iterator[ModuleCall]:
        for name in self.config.modules:
            yield self.module_call(name)

    # --- providers ------------------------------------------------------------------------------

    def provider_configs(self) -> dict[tuple[str, str | None], ProviderConfig]:
        if self._providers is None:
            self._providers = {}
            for block in self.config.providers:
                values, sensitive = evaluate_body(self.loader.evaluator, block, self.context, {}, "")
                alias = values.get("alias")
                alias = alias if isinstance(alias, str) else None
                name = block.labels[0]
                address = f"{self.prefix}provider.{name}" + (f".{alias}" if alias else "")
                region = values.get("region")
                region = region if isinstance(region, str | Unknown) else None
                values = redact(values, sensitive)
                self._providers[(name, alias)] = ProviderConfig(address, region, block, values, sensitive)
        return self._providers

    def provider_for(self, name: str, alias: str | None) -> ProviderConfig:
        """The configuration that really provides (name, alias) here: own, mapped, inherited or implied."""
        own = self.provider_configs().get((name, alias))
        if own is not None:
            return own
        mapping = self._provider_mapping()
        parent = self.parent.module if self.parent is not None else None
        if parent is not None:
            if mapping is None and alias is None:
                return parent.provider_for(name, None)
            key = name + (f".{alias}" if alias else "")
            if mapping is not None and key in mapping:
                return parent.provider_for(*mapping[key])
        address = f"{self.prefix}provider.{name}" + (f".{alias}" if alias else "")
        return ProviderConfig(address, None, None, {}, frozenset())

    def _provider_mapping(self) -> dict[str, tuple[str, str | None]] | None:
        if self.call is None or "providers" not in self.call.attrs:
            return None
        mapping: dict[str, tuple[str, str | None]] = {}
        expr = self.call.attrs["providers"].expr
        pairs: list[tuple[list[str] | None, list[str] | None]]
        if isinstance(expr, JsonExpr):
            items = expr.value.items() if isinstance(expr.value, dict) else []
            pairs = [(k.split("."), v.split(".") if isinstance(v, str) else None) for k, v in items]
        else:
            pairs = object_references(expr)
        for key, target in pairs:
            if key and target and len(key) <= 2 and len(target) <= 2:
                mapping[".".join(key)] = (target[0], target[1] if len(target) > 1 else None)
        return mapping


class ModuleCall:
    """One `module` block of an instance, expanded by its count or for_each."""

    def __init__(self, owner: ModuleInstance, name: str, block: Block) -> None:
        self.owner = owner
        self.name = name
        self.block = block
        self.address = f"{owner.prefix}module.{name}"
        source = (
            owner.loader.evaluator.value_or_unknown(block.attrs["source"].expr, owner.context, {})
            if ("source" in block.attrs)
            else None
        )
        self.source = source
        self.expansion = expand(owner, block)
        self.expanded = "count" in block.attrs or "for_each" in block.attrs
        self.not_followed = ""  # why a call with a remote source is not followed
        self.directory = self._local_directory()
        if self.directory is None and isinstance(source, str) and not _is_local(source):
            self.directory = self._installed_directory()
        self.instances: dict[str, ModuleInstance] = {}
        if self.directory is not None:
            config = owner.loader.config(self.directory)
            chain = (*owner.chain, self.directory)
            for suffix, count, each in self.expansion:
                context = Context(owner, count, each)
                address = self.address + suffix
                static = f"{owner.static}.module.{name}".removeprefix(".")
                self.instances[suffix] = ModuleInstance(
                    owner.loader, config, address, block, context, chain, static
                )

    @property
    def remote(self) -> bool:
        return self.directory is None

    def _installed_directory(self) -> Path | None:
        """Where `terraform init` installed this call's source, from the root's module manifest."""
        installed = self.owner.loader.installed
        key = manifest_key(self.owner.static, self.name)
        found = None if installed is None else installed.get(key)
        if found is None:
            where = (
                "no .terraform/modules/modules.json" if installed is None else f"no {key!r} in its manifest"
            )
            self.not_followed = f"not installed ({where}): {NOT_INSTALLED}"
            return None
        self._check_depth()
        if not found.directory.is_dir() or not config_files(found.directory):
            self.not_followed = f"installed directory {display(found.directory)} is missing: {NOT_INSTALLED}"
            return None
        if found.directory in self.owner.chain:
            where = f"{display(self.block.file)}:{self.block.line}"
            raise InputError(f"{where}: module {self.name}: cyclic module source {self.source!r}")
        return found.directory

    def _check_depth(self) -> None:
        if len(self.owner.chain) >= MAX_MODULE_DEPTH:
            where = f"{display(self.block.file)}:{self.block.line}"
            raise InputError(f"{where}: module {self.name}: modules nested deeper than {MAX_MODULE_DEPTH}")

    def _local_directory(self) -> Path | None:
        source = self.source
        if not isinstance(source, str) or not _is_local(source):
            if not isinstance(source, str):
                self.not_followed = "its source is not a known string"
            return None
        where = f"{display(self.block.file)}:{self.block.line}"
        self._check_depth()
        try:
            directory = (self.owner.config.dir / source).resolve(strict=True)
        except (OSError, RuntimeError) as error:
            reason = "symlink loop" if "loop" in str(error).lower() else "directory not found"
            raise InputError(f"{where}: module {self.name}: source {source!r}: {reason}") from None
        if not directory.is_dir():
            raise InputError(f"{where}: module {self.name}: source {source!r} is not a directory")
        if not directory.is_relative_to(self.owner.loader.allowed):
            allowed = display(self.owner.loader.allowed)
            raise InputError(
                f"{where}: module {self.name}: source {source!r} escapes the allowed tree {allowed}"
            )
        if directory in self.owner.chain:
            raise InputError(f"{where}: module {self.name}: cyclic module source {source!r}")
        if not config_files(directory):
            raise InputError(f"{where}: module {self.name}: source {source!r} has no Terraform files")
        return directory

    def reference(self, steps: list[Step]) -> tuple[Any, int]:
        """The value of `module.NAME...` for the steps after NAME; returns (value, steps used)."""
        if self.remote:
            address = self.address
            key = steps[0][1] if self.expanded and steps and steps[0][0] == "index" else None
            if isinstance(key, int | str):
                address += instance_suffix(key)
            return Unknown(refs=(address,), reason=f"{address} is not evaluated"), len(steps)
        if not self.expanded:
            return self._outputs_of(self.instances[""], steps, 0)
        if len(self.expansion) == 1 and self.expansion[0][0] == "[*]":
            used = 1 if steps and steps[0][0] == "index" else 0
            return self._outputs_of(self.instances["[*]"], steps[used:], used)
        if steps and steps[0][0] == "index":
            key = steps[0][1]
            if isinstance(key, Unknown):
                return merge_unknown([key], "module instance key is unknown"), len(steps)
            suffix = instance_suffix(key if isinstance(key, int) else to_string(key))
            instance = self.instances.get(suffix)
            if instance is None:
                raise EvalError(f"{self.address} has no instance {suffix}")
            return self._outputs_of(instance, steps[1:], 1)
        if "count" in self.block.attrs:
            return [instance.outputs() for instance in self.instances.values()], 0
        return {_key_of(suffix): instance.outputs() for suffix, instance in self.instances.items()}, 0

    @staticmethod
    def _outputs_of(instance: ModuleInstance, steps: list[Step], used: int) -> tuple[Any, int]:
        if steps and steps[0][0] == "attr":
            return instance.output(steps[0][1]), used + 1
        return instance.outputs(), used


class Context:
    """A module instance seen from inside one count/for_each instance of a block."""

    def __init__(
        self, module: ModuleInstance, count: Any = None, each: tuple[Any, Any] | None = None
    ) -> None:
        self.module = module
        self.count = count
        self.each = each

    @property
    def root_dir(self) -> Path:
        return self.module.loader.root_dir

    def resolve(self, root: str, steps: list[Step]) -> tuple[Any, int]:
        module = self.module
        name = steps[0][1] if steps and steps[0][0] == "attr" else None
        if root in ("var", "local", "count", "each", "path", "terraform") and name is None:
            raise EvalError(f"{root} must be followed by an attribute name")
        if root == "var" and name is not None:
            return module.variable(name), 1
        if root == "local" and name is not None:
            return module.local(name), 1
        if root == "count" and name == "index":
            if self.count is None:
                raise EvalError("count.index used outside a resource or module with count")
            return self.count, 1
        if root == "each" and name in ("key", "value"):
            if self.each is None:
                raise EvalError("each used outside a resource or module with for_each")
            return self.each[0 if name == "key" else 1], 1
        if root == "path" and name in ("module", "root", "cwd"):
            return self._path(name), 1
        if root == "terraform" and name == "workspace":
            return "default", 1
        if root == "self":
            return Unknown(reason="self is known only after apply"), len(steps)
        if root == "ephemeral":
            return Unknown(reason="ephemeral values are never known statically"), len(steps)
        if root == "module" and name is not None:
            value, used = module.module_call(name).reference(steps[1:])
            return value, used + 1
        if root == "data" and name is not None and len(steps) > 1 and steps[1][0] == "attr":
            block = module.config.declared.get(("data", name, steps[1][1]))
            if block is not None:
                return self._resource(block, f"data.{name}.{steps[1][1]}", steps[2:], 2)
        elif name is not None:
            block = module.config.declared.get(("resource", root, name))
            if block is not None:
                return self._resource(block, f"{root}.{name}", steps[1:], 1)
        raise EvalError(f"reference to undeclared {root}" + (f".{name}" if name else ""))

    def _path(self, name: str) -> str:
        root = self.module.loader.root_dir
        if name == "cwd":
            return str(root)
        if name == "root":
            return "."
        return os.path.relpath(self.module.config.dir, root)

    def _resource(self, block: Block, head: str, rest: list[Step], used: int) -> tuple[Any, int]:
        """A resource's attributes are known only after apply: Unknowns naming the instance(s).

        Where count/for_each is known, instance keys are checked (a missing instance is an error that
        try() can catch) and the resource as a whole is a list (count) or map (for_each) of per-instance
        Unknowns, so `for_each = aws_subnet.public` and `length(...)` work as in a plan.
        """
        address = f"{self.module.prefix}{head}"
        expansion = self.module.expansion(block)
        counted = "count" in block.attrs
        known = not (expansion and expansion[0][0] == "[*]")
        attribute = next((arg for step, arg in rest if step == "attr"), None)
        key = rest[0][1] if rest and rest[0][0] == "index" else None
        if key is not None and not isinstance(key, Unknown):
            suffix = instance_suffix(number(key) if counted else to_string(key))
            if known and suffix not in {s for s, _, _ in expansion}:
                raise EvalError(f"{address}{suffix} does not exist")
            return _after_apply(address + suffix, attribute), used + 1
        if key is None and known and (counted or "for_each" in block.attrs):
            instances = {suffix: _after_apply(address + suffix, attribute) for suffix, _, _ in expansion}
            if counted:
                return list(instances.values()), used
            return {_key_of(suffix): item for suffix, item in instances.items()}, used
        return _after_apply(address, attribute), used


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../", ".\\", "..\\"))


def _after_apply(address: str, attribute: str | None) -> Unknown:
    reason = f"{address}.{attribute} is known only after apply" if attribute else ""
    return Unknown(refs=(address,), reason=reason, attribute=attribute or "")


# --- expansion ---------------------------------------------------------------------------------------

Expansion = list[tuple[str, Any, tuple[Any, Any] | None]]


def expand(module: ModuleInstance, block: Block) -> Expansion:
    """Instances of a block: (address suffix, count.index, (each.key, each.value))."""
    evaluator = module.loader.evaluator
    where = f"{display(block.file)}:{block.line}"
    if "count" in block.attrs:
        count = evaluator.value_or_unknown(block.attrs["count"].expr, module.context, {})
        if isinstance(count, bool) or not isinstance(count, int | float):
            reason = count.reason if isinstance(count, Unknown) else "count is not a number"
            return [("[*]", Unknown(refs=_refs(count), reason=reason or "count is unknown"), None)]
        _check_size(module, int(count), where)
        return [(f"[{i}]", i, None) for i in range(int(count))]
    if "for_each" in block.attrs:
        items = evaluator.value_or_unknown(block.attrs["for_each"].expr, module.context, {})
        if isinstance(items, dict):
            _check_size(module, len(items), where)
            return [(instance_suffix(k), None, (k, items[k])) for k in sorted(items)]
        if isinstance(items, list) and not has_unknown(items) and all(isinstance(i, str) for i in items):
            _check_size(module, len(items), where)
            return [(instance_suffix(k), None, (k, k)) for k in sorted(set(items))]
        reason = "for_each is unknown" if has_unknown(items) else "for_each is not a map or set of strings"
        unknown = merge_unknown([items], reason)
        return [("[*]", None, (unknown, unknown))]
    return [("", None, None)]


def _refs(value: Any) -> tuple[str, ...]:
    return value.refs if isinstance(value, Unknown) else ()


def _check_size(module: ModuleInstance, size: int, where: str) -> None:
    if size > MAX_INSTANCES:
        raise InputError(f"{where}: {size} instances, over the limit of {MAX_INSTANCES}")
    module.loader.instances += size
    if module.loader.instances > MAX_TOTAL_INSTANCES:
        raise InputError(f"{where}: the configuration expands to over {MAX_TOTAL_INSTANCES} instances")


def instance_suffix(key: Any) -> str:
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key, ensure_ascii=False)}]"


def _key_of(suffix: str) -> str:
    loaded = json.loads(suffix[1:-1])
    return str(loaded)


class _Missing:
    pass


_MISSING: Any = _Missing()
