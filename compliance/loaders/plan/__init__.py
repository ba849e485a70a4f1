"""Plan JSON (`terraform show -json PLAN`, format 1.x) -> Resources.

What a plan gives, and how it lands in the model:
- `resource_changes`: every managed resource and every data source read at apply, with its action
  (create, update, replace, delete, forget, no-op, read). Values are `after`, with `after_unknown` paths
  turned into `Unknown`s that carry the references of the configuration expression behind them, except
  arguments the configuration does not write at all: those are the provider's defaults, unset (None)
  as in HCL, so rules read unset-versus-unknown from the model (see `_unknown`). A value inside a
  `dynamic` block is an Unknown marked `dynamic`: the block may stand for no block or for many.
- Resources being deleted or forgotten keep their `before` values and action "delete"/"forget", so the
  diff tool can list them. They will not exist after apply, so rules must not judge them:
  `compliance.scan` leaves them out of the model it hands to the engine (see `judged`).
- `prior_state`: data sources read at plan time (action "read") and values of unchanged objects.
- `planned_values` (root and child modules, recursively): any resource the changes do not list.
- `configuration.provider_config`: one provider Resource per configuration, with its region (a literal,
  or a root variable's value); each resource gets its provider's address and region.
- Outputs (`output.NAME`) and root/module variables (`var.NAME`) as terraform_output/terraform_variable
  (a non-sensitive variable also with the "values" it receives).
- Sensitive values (`after_sensitive`, `sensitive_values`, sensitive outputs and variables, provider
  credentials) are listed in `Resource.sensitive` and replaced by "(sensitive)" so no report can print them.
Every Resource's source is the plan file (line 0); `compliance.scan` may borrow file:line from HCL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from compliance.loaders.plan.completion import complete, paired
from compliance.loaders.plan.config import (
    Configuration,
    ModulePath,
    Written,
    as_list,
    as_mapping,
    join,
    module_prefix,
    module_steps,
)
from compliance.model import UNKNOWN, InputError, Origin, Resource, Source, Unknown

__all__ = [
    "REDACTED",
    "LoadedPlan",
    "complete",
    "judged",
    "load_plan",
    "load_plan_file",
    "paired",
    "read_plan",
]

MAX_BYTES = 512 * 1024 * 1024
REDACTED = "(sensitive)"
GONE = frozenset({"delete", "forget"})
IDENTITIES = frozenset({"id", "arn"})
PROVIDER_SECRETS = frozenset({"access_key", "secret_key", "token"})
_ACTIONS: dict[tuple[str, ...], str] = {("delete", "create"): "replace", ("create", "delete"): "replace"}

Refs = Callable[[list[str]], tuple[str, ...] | Written]


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """A plan's resources and the Terraform version that wrote it ("" when the plan does not say)."""

    resources: tuple[Resource, ...]
    terraform_version: str


def load_plan(path: Path) -> tuple[Resource, ...]:
    """Every resource, data source, provider configuration, output and variable of a plan."""
    return load_plan_file(path).resources


def load_plan_file(path: Path) -> LoadedPlan:
    """The plan's resources (as load_plan) and its terraform_version, from one read of the file."""
    document = read_plan(path)
    version = document.get("terraform_version")
    return LoadedPlan(_Plan(document, str(path)).resources(), version if isinstance(version, str) else "")


def judged(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """The resources rules should judge: those that still exist after apply."""
    return tuple(r for r in resources if r.action not in GONE)


def read_plan(path: Path) -> Mapping[str, Any]:
    """The parsed plan document, or an InputError naming the file and the problem."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path}: cannot read plan: {error.strerror or error}") from error
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a plan JSON file")
    if size > MAX_BYTES:
        raise InputError(f"{path}: plan is {size} bytes, over the {MAX_BYTES}-byte limit")
    try:
        document = orjson.loads(path.read_bytes().decode("utf-8"))  # ~20% faster than json on big plans
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not a plan: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not a plan: invalid JSON at line {error.lineno} column {error.colno} ({error.msg})"
        ) from error
    except (OSError, RecursionError) as error:
        raise InputError(f"{path}: cannot read plan: {error}") from error
    return _checked(path, document)


def _checked(path: Path, document: Any) -> Mapping[str, Any]:
    if not isinstance(document, dict) or "format_version" not in document:
        raise InputError(f"{path}: not a plan: expected the JSON of `terraform show -json PLANFILE`")
    version = document["format_version"]
    if not isinstance(version, str) or not version.startswith("1."):
        raise InputError(f"{path}: unsupported plan format_version {version}")
    if "planned_values" not in document and "resource_changes" not in document:
        raise InputError(f"{path}: not a plan: no planned_values or resource_changes (a state file?)")
    if document.get("errored") is True:
        raise InputError(f"{path}: plan errored: terraform could not complete it; fix the plan first")
    for key in ("planned_values", "prior_state", "configuration", "variables", "output_changes"):
        if document.get(key) is not None and not isinstance(document[key], dict):
            raise InputError(f"{path}: not a plan: {key} is not an object")
    if not isinstance(document.get("resource_changes", []), list):
        raise InputError(f"{path}: not a plan: resource_changes is not a list")
    return document


class _Plan:
    """One pass over a plan document; configuration indexed once, so no per-resource searches."""

    def __init__(self, document: Mapping[str, Any], file: str) -> None:
        self.document = document
        self.source = Source(file=file, line=0)
        self.variables = as_mapping(document.get("variables"))
        self.config = Configuration(as_mapping(document.get("configuration")), self.variables)
        self.providers = tuple(self._providers())
        self.regions = {p.address: p.region for p in self.providers}

    def resources(self) -> tuple[Resource, ...]:
        found: dict[str, Resource] = {}
        prior = dict(
            _module_resources(as_mapping(as_mapping(self.document.get("prior_state")).get("values")))
        )
        for change in as_list(self.document.get("resource_changes")):
            if isinstance(change, dict) and not change.get("deposed") and "address" in change:
                resource = self._from_change(change, prior.get(str(change["address"])))
                found[resource.address] = resource
        planned = _module_resources(as_mapping(self.document.get("planned_values")))
        for address, item in planned:
            if address not in found:
                found[address] = self._from_values(item, "")
        for address, item in prior.items():
            if address not in found and item.get("mode") == "data":
                found[address] = self._from_values(item, "read")
        return (*self.providers, *found.values(), *self._outputs(), *self._variables())

    def _from_change(self, change: Mapping[str, Any], prior: Mapping[str, Any] | None) -> Resource:
        body = as_mapping(change.get("change"))
        action = _action(body.get("actions"))
        if action in GONE:
            values, unknown, sensitive = body.get("before"), None, body.get("before_sensitive")
        else:
            values, unknown, sensitive = (
                body.get("after"),
                body.get("after_unknown"),
                body.get("after_sensitive"),
            )
            if values is None and prior is not None and action == "no-op":
                values, sensitive = prior.get("values"), prior.get("sensitive_values")
        return self._resource(change, as_mapping(values), unknown, sensitive, action)

    def _from_values(self, item: Mapping[str, Any], action: str) -> Resource:
        return self._resource(
            item, as_mapping(item.get("values")), None, item.get("sensitive_values"), action
        )

    def _resource(
        self, item: Mapping[str, Any], values: Mapping[str, Any], unknown: Any, sensitive: Any, action: str
    ) -> Resource:
        address = str(item["address"])
        mode = str(item.get("mode", "managed"))
        steps, _ = module_steps(address)
        prefix = module_prefix(steps)
        path: ModulePath = tuple(name for name, _key in steps)
        local = (
            f"data.{item.get('type')}.{item.get('name')}"
            if mode == "data"
            else f"{item.get('type')}.{item.get('name')}"
        )
        config = self.config.resource(path, local)
        expressions = config.get("expressions")

        defaults = mode == "managed" and bool(config)

        def refs(keys: list[str]) -> tuple[str, ...] | Written:
            """References behind an unknown value; UNSET where it is left to the provider's default."""
            found = self.config.expression_refs(path, prefix, as_mapping(expressions), keys)
            if found is Written.UNSET and not (defaults and keys[0] not in IDENTITIES):
                return ()
            return found

        merged = as_mapping(_merge(values, unknown, [], refs))
        provider = _provider_address(
            self._effective(str(config.get("provider_config_key") or _provider_local(item)))
        )
        return Resource(
            address=address,
            mode=mode,
            type=str(item.get("type", "")),
            name=str(item.get("name", "")),
            module=prefix,
            provider=provider,
            region=_own_region(merged) or self.regions.get(provider),
            values=_redact(merged, sensitive),
            source=self.source,
            origin=Origin.PLAN,
            action=action,
            sensitive=frozenset(_paths(sensitive, "")),
        )

    def _effective(self, key: str) -> str:
        """The provider configuration a key really means.

        Terraform lists a module that inherits its parent's provider implicitly as an entry without
        expressions (`module.app.module.logs:aws`) when an intermediate module uses no such provider;
        the module then uses its parent's configuration of the same name, up to the root.
        """
        while ":" in key and "expressions" not in as_mapping(self.config.providers.get(key)):
            module, _, local = key.rpartition(":")
            steps, _ = module_steps(module if module.startswith("module.") else f"module.{module}")
            parent = module_prefix(steps[:-1])
            key = f"{parent}:{local}" if parent else local
        return key

    def _providers(self) -> Iterator[Resource]:
        for key, config in sorted(self.config.providers.items()):
            if not isinstance(config, dict) or self._effective(key) != key or _builtin(config):
                continue
            address = _provider_address(key)
            steps, _ = module_steps(address)
            path: ModulePath = tuple(name for name, _key in steps)
            prefix = module_prefix(steps)
            expressions = as_mapping(config.get("expressions"))
            values = {k: self._provider_value(path, prefix, v) for k, v in expressions.items()}
            if config.get("alias"):
                values["alias"] = str(config["alias"])
            region = values.get("region")
            secrets = {k: True for k in PROVIDER_SECRETS if values.get(k) is not None}
            yield Resource(
                address=address,
                mode="provider",
                type="provider",
                name=str(config.get("name", address.rsplit("provider.", 1)[-1].split(".")[0])),
                module=prefix,
                provider=address,
                region=region if isinstance(region, str | Unknown) else None,
                values=_redact(values, secrets),
                source=self.source,
                origin=Origin.PLAN,
                sensitive=frozenset(secrets),
            )

    def _provider_value(self, path: ModulePath, prefix: str, expression: Any) -> Any:
        """A provider argument: its literal, a variable's value, or Unknown with its references."""
        if isinstance(expression, list):
            return [self._provider_value(path, prefix, item) for item in expression]
        if not isinstance(expression, dict):
            return UNKNOWN
        if "constant_value" in expression:
            return expression["constant_value"]
        if "references" not in expression:
            return {k: self._provider_value(path, prefix, v) for k, v in expression.items()}
        references = [r for r in as_list(expression.get("references")) if isinstance(r, str)]
        if len(references) == 1 and references[0].startswith("var."):
            return self._variable(path, references[0][4:])
        return Unknown(self.config.refs(path, prefix, references), "computed in configuration")

    def _variable(self, path: ModulePath, name: str) -> Any:
        """The value of `var.name` in a module: the plan's root variables, or a module argument."""
        if not path:
            value = as_mapping(self.variables.get(name))
            return value.get("value", UNKNOWN)
        parent = self.config.modules.get(path[:-1])
        call = parent.calls.get(path[-1], {}) if parent else {}
        expression = as_mapping(as_mapping(call.get("expressions")).get(name))
        if not expression:
            child = self.config.modules.get(path)
            declared = as_mapping(child.variables.get(name)) if child else {}
            return declared.get("default", UNKNOWN)
        return self._provider_value(path[:-1], module_prefix([(n, "") for n in path[:-1]]), expression)

    def _outputs(self) -> Iterator[Resource]:
        planned = as_mapping(as_mapping(self.document.get("planned_values")).get("outputs"))
        changes = as_mapping(self.document.get("output_changes"))
        configured = self.config.modules[()].outputs
        for name in sorted(set(planned) | set(configured)):
            change = as_mapping(changes.get(name))
            if change.get("actions") == ["delete"]:
                continue
            config = as_mapping(configured.get(name))
            refs = self.config.refs((), "", as_mapping(config.get("expression")).get("references"))
            unknown = change.get("after_unknown") if name in planned else True
            value = _merge(as_mapping(planned.get(name)).get("value"), unknown, [], _always(refs))
            sensitive = bool(as_mapping(planned.get(name)).get("sensitive") or config.get("sensitive"))
            yield self._named("terraform_output", "output", name, "", value, "value", sensitive)
        yield from self._module_outputs()

    def _module_outputs(self) -> Iterator[Resource]:
        """Module outputs exist in the configuration only: a constant, or unknown with its references."""
        for path, module in sorted(self.config.modules.items()):
            if not path:
                continue
            prefix = module_prefix([(n, "") for n in path])
            for name, config in sorted(module.outputs.items()):
                expression = as_mapping(as_mapping(config).get("expression"))
                if "constant_value" in expression:
                    value = expression["constant_value"]
                else:
                    refs = self.config.refs(path, prefix, expression.get("references"))
                    value = Unknown(refs=tuple(refs), reason="module output known after apply")
                sensitive = bool(as_mapping(config).get("sensitive"))
                yield self._named("terraform_output", "output", name, prefix, value, "value", sensitive)

    def _variables(self) -> Iterator[Resource]:
        for path, module in sorted(self.config.modules.items()):
            prefix = module_prefix([(n, "") for n in path])
            for name, declared in sorted(module.variables.items()):
                declared = as_mapping(declared)
                sensitive = bool(declared.get("sensitive"))
                variable = self._named(
                    "terraform_variable",
                    "variable",
                    name,
                    prefix,
                    declared.get("default"),
                    "default",
                    sensitive,
                )
                if not sensitive:  # what it receives: the plan's root value, or the module argument
                    given = [self._variable(path, name)]
                    variable = replace(variable, values={**variable.values, "values": given})
                yield variable

    def _named(
        self, kind: str, mode: str, name: str, prefix: str, value: Any, key: str, sensitive: bool
    ) -> Resource:
        """An output or a variable: values {key: value, "sensitive": bool}, the value redacted when sensitive."""
        short = "output" if kind == "terraform_output" else "var"
        hidden = {key: True} if sensitive else {}
        return Resource(
            address=join(prefix, f"{short}.{name}"),
            mode=mode,
            type=kind,
            name=name,
            module=prefix,
            provider="",
            region=None,
            values=_redact({key: value, "sensitive": sensitive}, hidden),
            source=self.source,
            origin=Origin.PLAN,
            sensitive=frozenset(hidden),
        )


def _action(actions: Any) -> str:
    steps = tuple(str(a) for a in as_list(actions))
    return _ACTIONS.get(steps, "-".join(steps))


def _builtin(config: Mapping[str, Any]) -> bool:
    """Terraform's own provider (terraform_data) has no configuration anyone wrote."""
    return str(config.get("full_name", "")).startswith("terraform.io/builtin/")


def _provider_local(item: Mapping[str, Any]) -> str:
    """`aws` from `registry.terraform.io/hashicorp/aws`, when the configuration does not say."""
    return str(item.get("provider_name", "")).rsplit("/", 1)[-1]


def _provider_address(key: str) -> str:
    """`provider.aws.replica` from "aws.replica"; `module.x.provider.aws` from "module.x:aws" (or "x:aws")."""
    module, _, local = key.rpartition(":")
    if module and not module.startswith("module."):
        module = ".".join(f"module.{part}" for part in module.split(":"))
    return join(module, f"provider.{local}")


def _own_region(values: Mapping[str, Any]) -> str | None:
    """A resource-level region (AWS provider 6.x), when it is a known string."""
    region = values.get("region")
    return region if isinstance(region, str) and region else None


def _module_resources(module: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(address, resource) of a planned_values/prior_state module tree, child modules recursively."""
    root = as_mapping(module.get("root_module")) if "root_module" in module else module
    stack = [root]
    while stack:
        current = stack.pop()
        for item in as_list(current.get("resources")):
            if isinstance(item, dict) and "address" in item:
                yield str(item["address"]), item
        stack.extend(c for c in reversed(as_list(current.get("child_modules"))) if isinstance(c, dict))


def _merge(value: Any, unknown: Any, at: list[str], refs: Refs) -> Any:
    """`value` with every path that `unknown` marks true replaced by an Unknown carrying its references."""
    if unknown is True:
        return _unknown(refs(at))
    if isinstance(unknown, dict) and unknown:
        base = value if isinstance(value, dict) else {}
        merged = dict(base)
        for key, inner in unknown.items():
            if inner is True or (isinstance(inner, dict | list) and inner):
                merged[key] = _merge(base.get(key), inner, [*at, key], refs)
        return merged
    if isinstance(unknown, list) and unknown:
        items = list(value) if isinstance(value, list) else []
        for index, inner in enumerate(unknown):
            if index < len(items):
                items[index] = _merge(items[index], inner, [*at, str(index)], refs)
            elif inner is True:
                items.append(_unknown(refs([*at, str(index)])))
        return items
    return value


def _always(refs: tuple[str, ...]) -> Refs:
    """Every unknown part of an output derives from the output's own expression."""
    return lambda _keys: refs


def _unknown(refs: tuple[str, ...] | Written) -> Unknown | None:
    """Known after apply, with its references; or None (unset) for an argument the configuration
    leaves to the provider's default (EFS `encrypted`, a log group's `kms_key_id`, an OpenSearch
    `encrypt_at_rest`, `aws_lb.internal`, a route table's computed `route`): in HCL the same resource
    simply lacks it, and both forms must judge alike. `id` and `arn` are identities, never defaults.
    A value inside a `dynamic` block is marked so: the configuration section omits such blocks.
    Limitation: a whole `dynamic` block whose for_each is unknown at plan time is missing from the
    configuration section and reads as unset; scan the HCL of the root as well to see it."""
    if refs is Written.UNSET:
        return None
    if refs is Written.DYNAMIC:
        return Unknown((), "inside a dynamic block known only after apply", dynamic=True)
    return Unknown(refs, "known after apply")


def _redact(value: Any, sensitive: Any) -> Any:
    """`value` with every sensitive leaf replaced by REDACTED (null and unknown leaves stay as they are)."""
    if sensitive is True:
        return value if value is None or isinstance(value, Unknown) else REDACTED
    if isinstance(sensitive, dict) and sensitive and isinstance(value, dict):
        return {k: _redact(v, sensitive[k]) if k in sensitive else v for k, v in value.items()}
    if isinstance(sensitive, list) and sensitive and isinstance(value, list):
        return [_redact(v, sensitive[i]) if i < len(sensitive) else v for i, v in enumerate(value)]
    return value


def _paths(sensitive: Any, prefix: str) -> Iterator[str]:
    if sensitive is True:
        yield prefix
    elif isinstance(sensitive, dict):
        for key, inner in sensitive.items():
            yield from _paths(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(sensitive, list):
        for index, inner in enumerate(sensitive):
            yield from _paths(inner, f"{prefix}.{index}" if prefix else str(index))
