"""Terraform HCL (and .tf.json) configurations as the typed `Resource` model.

Conventions, beyond the plan-JSON shape described in compliance.model:

* One Resource per resource instance, data source instance, provider configuration (explicit, or
  implied when resources use a provider without a block), call of a module whose source cannot be
  followed (registry, git... not installed by `terraform init`: mode/type "module", values {"source",
  "version", "not_followed"}; installed ones are followed through .terraform/modules/modules.json),
  declared variable (``module.x.var.NAME``, type terraform_variable, values {"default", "sensitive"}, its
  declared "type" as `types.type_shape` gives it and, unless sensitive, the "values" every instance
  receives) and output
  (``output.NAME``, ``module.x.output.NAME``, type terraform_output, values {"value", "sensitive"}),
  as the plan loader gives them.
* Values derived from a variable or output marked sensitive are listed in `Resource.sensitive` and
  their non-empty strings replaced by "(sensitive)", so no report can print them (numbers, booleans,
  nulls and unknowns stay for the rules).
* What cannot be known statically is an `Unknown`: a reference to a resource or data source carries
  its absolute address (``module.vpc.aws_subnet.private[0]``). A whole counted resource is a list (a
  map for for_each) of such per-instance Unknowns when its count/for_each is known, else one Unknown
  naming the resource without a key. A variable without a value, an unsupported function or an
  expression Terraform would reject give an Unknown with a reason and no refs. Unknowns propagate
  through operators and functions, merging their refs.
* A jsonencode() whose argument contains unknowns evaluates to the decoded structure (dicts and lists
  with Unknown leaves) rather than a string, so rules still see a policy's shape. A template that
  renders JSON around unknown values (a heredoc policy) is decoded the same way. Rules therefore
  accept a policy as a JSON string or as a structure.
* count/for_each that cannot be evaluated give one instance with the key ``[*]``; count = 0 gives none.
* Not read: TF_VAR_* environment variables, -var flags, workspaces (terraform.workspace is "default");
  functions not in hcl_functions (timestamp, uuid, provider
  functions...) are Unknown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from compliance.loaders.hcl.bodies import evaluate_body, reference_names
from compliance.loaders.hcl.config import config_files, load_config
from compliance.loaders.hcl.eval import Evaluator
from compliance.loaders.hcl.modules import Context, Loader, ModuleCall, ModuleInstance, ProviderConfig
from compliance.loaders.hcl.parse import Block, display, parse_file
from compliance.loaders.hcl.types import parse_type, type_shape
from compliance.loaders.hcl.values import EvalError, redact
from compliance.model import InputError, Origin, Resource, Source, Unknown

__all__ = ["load_hcl"]

__all__ = ["load_hcl"]

BUILTIN_PROVIDERS = frozenset({"terraform"})
"""Providers built into Terraform (terraform_data...): never configured, so no implied configuration."""


def load_hcl(
    paths: Sequence[Path], var_files: Sequence[Path] = (), root: Path | None = None
) -> tuple[Resource, ...]:
    """Resources of the Terraform root directories (or single .tf files) in `paths`.

    `var_files` are applied after terraform.tfvars and *.auto.tfvars, later files winning. Local module
    sources must stay inside `root` (default: the enclosing git work tree, else the working directory,
    else the scanned directory). Raises InputError (one line, naming the file) for bad input.
    """
    resources: list[Resource] = []
    for path in paths:
        resources.extend(_load_root(Path(path), [Path(v) for v in var_files], root))
    return tuple(resources)


def _load_root(path: Path, var_files: list[Path], root: Path | None) -> list[Resource]:
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{display(path)}: no such file or directory")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(f"{display(path)}: broken symlink or symlink loop") from None
    if resolved.is_dir():
        directory, files = resolved, config_files(resolved)
        if not files:
            raise InputError(f"{display(path)}: directory has no Terraform files (*.tf, *.tf.json)")
    elif not resolved.is_file():
        raise InputError(f"{display(path)}: not a regular file or directory")
    elif resolved.name.endswith((".tf", ".tf.json")):
        directory, files = resolved.parent, [resolved]
    else:
        raise InputError(f"{display(path)}: not a Terraform file (expected .tf or .tf.json) or directory")
    allowed = _allowed_root(directory, root)
    try:
        tfvars = _tfvars(directory, var_files)
        loader = Loader(directory, allowed, tfvars)
        module = ModuleInstance(loader, load_config(directory, files), "", chain=(directory,))
        resources = list(_emit(module))
        resources.extend(_implicit_providers(loader))
    except RecursionError:
        raise InputError(f"{display(path)}: configuration is nested too deeply to evaluate") from None
    return resources


def _allowed_root(directory: Path, root: Path | None) -> Path:
    if root is not None:
        return root.resolve()
    for candidate in (directory, *directory.parents):
        try:
            if (candidate / ".git").exists():
                return candidate
        except OSError:
            continue
    cwd = Path.cwd().resolve()
    if directory.is_relative_to(cwd):
        return cwd
    return directory


def _tfvars(directory: Path, var_files: list[Path]) -> dict[str, Any]:
    """Root variable values: terraform.tfvars(.json), *.auto.tfvars(.json) in lexical order, then var_files."""
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    try:
        names = sorted(
            p.name for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
        )
    except OSError as error:
        raise InputError(f"{display(directory)}: cannot read directory: {error.strerror or error}") from None
    files = [p for p in automatic if p.is_file()] + [directory / n for n in names]
    for given in var_files:
        if not given.is_file():
            raise InputError(f"{display(given)}: variable file not found")
        files.append(given)
    values: dict[str, Any] = {}
    evaluator = Evaluator()
    for file in files:
        top = parse_file(file, variables=True)
        if top.blocks:
            block = top.blocks[0]
            raise InputError(f"{display(file)}:{block.line}: blocks are not allowed in a variable file")
        for name, attr in top.attrs.items():
            values[name] = evaluator.value_or_unknown(attr.expr, _NoReferences(directory), {})
    return values


class _NoReferences:
    """Variable files hold literal values only."""

    def __init__(self, directory: Path) -> None:
        self.root_dir = directory

    def resolve(self, root: str, steps: list[Any]) -> tuple[Any, int]:
        raise EvalError(f"variable files cannot refer to {root}")


# --- emission ------------------------------------------------------------------------------------------


def _emit(module: ModuleInstance) -> Iterator[Resource]:
    for config in module.provider_configs().values():
        yield _provider_resource(module, config)
    yield from _variables(module)
    yield from _outputs(module)
    for block in module.config.resources:
        yield from _instances(module, block)
    for call in module.module_calls():
        if call.remote:
            for suffix, _count, _each in call.expansion:
                yield _module_resource(module, call, call.address + suffix)
            continue
        for child in call.instances.values():
            yield from _emit(child)


def _instances(module: ModuleInstance, block: Block) -> Iterator[Resource]:
    mode = "managed" if block.type == "resource" else "data"
    kind, name = block.labels
    head = f"{module.prefix}{'data.' if mode == 'data' else ''}{kind}.{name}"
    provider_name, alias = _provider_key(block, kind)
    provider = module.provider_for(provider_name, alias)
    if provider.block is None and provider_name not in BUILTIN_PROVIDERS:
        owner = provider.address.rsplit("provider.", 1)[0].removesuffix(".")
        module.loader.implicit.setdefault(provider.address, (owner, provider_name, _source(block)))
    for suffix, count, each in module.expansion(block):
        context = Context(module, count, each)
        try:
            values, sensitive = evaluate_body(module.loader.evaluator, block, context, {}, "", meta=True)
        except RecursionError:
            where = f"{display(block.file)}:{block.line}"
            raise InputError(f"{where}: blocks nested too deeply to evaluate") from None
        region = values.get("region")  # a resource-level region (AWS provider 6) wins over the provider's
        if not isinstance(region, str | Unknown):
            region = provider.region
        values = redact(values, sensitive)
        yield Resource(
            address=head + suffix,
            mode=mode,
            type=kind,
            name=name,
            module=module.address,
            provider=provider.address,
            region=region,
            values=values,
            source=_source(block),
            origin=Origin.HCL,
            sensitive=sensitive,
        )


def _variables(module: ModuleInstance) -> Iterator[Resource]:
    """Declared variables (once per module path, as plans list them): their default and sensitivity."""
    if module.static in module.loader.variables_emitted:
        return
    module.loader.variables_emitted.add(module.static)
    prefix = module.static + "." if module.static else ""
    evaluator = module.loader.evaluator
    for name, block in module.config.variables.items():
        attr = block.attrs.get("default")
        default = evaluator.value_or_unknown(attr.expr, module.context, {}) if attr is not None else None
        sensitive = module.declared_flag(block, "sensitive")
        variable = _named(
            module.static, f"{prefix}var.{name}", "variable", name, block, "default", default, sensitive
        )
        extra: dict[str, Any] = {}
        if "type" in block.attrs:
            extra["type"] = type_shape(parse_type(block.attrs["type"].expr))
        given = None if sensitive else _passed(module, name)
        if given is not None:
            extra["values"] = given
        yield replace(variable, values={**variable.values, **extra}) if extra else variable


def _passed(module: ModuleInstance, name: str) -> list[Any] | None:
    """What a (non-sensitive) variable receives in every instance of its module: the callers' arguments
    (or the default), a tfvars value at the root; None when only run time tells (TF_VAR_, -var)."""
    if module.parent is None:
        return [module.loader.tfvars[name]] if name in module.loader.tfvars else None
    found: list[Any] = []
    for call in module.parent.module.module_calls():
        if any(instance is module for instance in call.instances.values()):
            for instance in call.instances.values():
                try:
                    found.append(instance.variable(name))
                except EvalError as error:
                    found.append(Unknown(reason=str(error)))
    return found or None


def _outputs(module: ModuleInstance) -> Iterator[Resource]:
    """Outputs of the root and of every module instance: their value and whether they are sensitive.

    A module's outputs never reach the plan's outputs, but a secret in one is passed on unmarked."""
    evaluator = module.loader.evaluator
    for name, block in module.config.outputs.items():
        evaluator.sensitive = False
        try:
            value = module.output(name) if "value" in block.attrs else None
        except EvalError as error:  # a cycle through module outputs
            value = Unknown(reason=str(error))
        derived = evaluator.sensitive
        evaluator.sensitive = False
        declared = module.declared_flag(block, "sensitive")
        address = f"{module.address}.output.{name}" if module.address else f"output.{name}"
        resource = _named(module.address, address, "output", name, block, "value", value, declared)
        if derived and not declared:
            values = redact(dict(resource.values), frozenset({"value"}))
            resource = replace(resource, values=values, sensitive=frozenset({"value"}))
        yield resource


def _named(
    module: str, address: str, mode: str, name: str, block: Block, key: str, value: Any, sensitive: bool
) -> Resource:
    """A variable or an output as the plan loader gives it: {key: value, "sensitive": bool}, redacted."""
    hidden = frozenset({key}) if sensitive else frozenset()
    return Resource(
        address=address,
        mode=mode,
        type=f"terraform_{mode}",
        name=name,
        module=module,
        provider="",
        region=None,
        values=redact({key: value, "sensitive": sensitive}, hidden),
        source=_source(block),
        origin=Origin.HCL,
        sensitive=hidden,
    )


def _provider_key(block: Block, kind: str) -> tuple[str, str | None]:
    attr = block.attrs.get("provider")
    names = reference_names(attr.expr) if attr is not None else None
    if names:
        return names[0], names[1] if len(names) > 1 else None
    return kind.split("_", 1)[0], None


def _implicit_providers(loader: Loader) -> Iterator[Resource]:
    """Provider configurations that resources use but no block declares (source: the first user)."""
    for address, (owner, name, source) in loader.implicit.items():
        yield Resource(
            address=address,
            mode="provider",
            type="provider",
            name=name,
            module=owner,
            provider=address,
            region=None,
            values={},
            source=source,
            origin=Origin.HCL,
        )


def _provider_resource(module: ModuleInstance, config: ProviderConfig) -> Resource:
    assert config.block is not None
    return Resource(
        address=config.address,
        mode="provider",
        type="provider",
        name=config.block.labels[0],
        module=module.address,
        provider=config.address,
        region=config.region,
        values=config.values,
        source=_source(config.block),
        origin=Origin.HCL,
        sensitive=config.sensitive,
    )


def _module_resource(module: ModuleInstance, call: ModuleCall, address: str) -> Resource:
    version = call.block.attrs.get("version")
    values: dict[str, Any] = {
        "source": call.source,
        "version": None if version is None else module.context_value(version.expr),
        "not_followed": call.not_followed,
    }
    return Resource(
        address=address,
        mode="module",
        type="module",
        name=call.name,
        module=module.address,
        provider="",
        region=None,
        values=values,
        source=_source(call.block),
        origin=Origin.HCL,
    )


def _source(block: Block) -> Source:
    return Source(display(block.file), block.line)
