"""The blocks of a module directory: .tf and .tf.json files, override files merged in as Terraform does."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from compliance.loaders.hcl.parse import Attr, Block, display, literal_string, parse_file
from compliance.model import InputError


@dataclass
class ModuleConfig:
    """The blocks of one module directory (or of a single root file)."""

    dir: Path
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attr] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: list[Block] = field(default_factory=list)
    declared: dict[tuple[str, str, str], Block] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)


def config_files(directory: Path) -> list[Path]:
    """The .tf and .tf.json files of a directory, in lexical order (symlink loops are bad input)."""
    files: list[Path] = []
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        raise InputError(f"{display(directory)}: cannot read directory: {error.strerror or error}") from None
    for entry in entries:
        if not entry.name.endswith((".tf", ".tf.json")) or _ignored(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                path.resolve(strict=True)
            except (OSError, RuntimeError):
                raise InputError(f"{display(path)}: broken symlink or symlink loop") from None
        if path.is_file():
            files.append(path)
    return files


def _ignored(name: str) -> bool:
    """Files Terraform skips: hidden files and editor backups."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def load_config(directory: Path, files: list[Path]) -> ModuleConfig:
    """A module's blocks; override files (override.tf, *_override.tf) are merged in last, as Terraform does."""
    config = ModuleConfig(directory)
    overrides = [f for f in files if _is_override(f)]
    for path in files:
        if path not in overrides:
            _add_blocks(config, parse_file(path))
    for path in overrides:
        _apply_overrides(config, parse_file(path))
    return config


def _is_override(path: Path) -> bool:
    stem = path.name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def _apply_overrides(config: ModuleConfig, top: Block) -> None:
    for block in top.blocks:
        kind, labels = block.type, block.labels
        if kind == "locals":
            config.locals.update(block.attrs)
        elif kind in ("resource", "data"):
            for index, original in enumerate(config.resources):
                if (original.type, original.labels) == (kind, labels):
                    config.resources[index] = _merged(original, block)
        elif kind == "provider":
            alias = literal_string(block.attrs["alias"].expr) if "alias" in block.attrs else None
            for index, original in enumerate(config.providers):
                theirs = literal_string(original.attrs["alias"].expr) if "alias" in original.attrs else None
                if original.labels == labels and theirs == alias:
                    config.providers[index] = _merged(original, block)
        else:
            named = {"variable": config.variables, "output": config.outputs, "module": config.modules}.get(
                kind
            )
            if named is not None and labels and labels[0] in named:
                named[labels[0]] = _merged(named[labels[0]], block)


def _merged(original: Block, override: Block) -> Block:
    """Override attributes win; nested blocks of a type the override has replace the original ones."""
    replaced = {b.type for b in override.blocks}
    blocks = [b for b in original.blocks if b.type not in replaced] + override.blocks
    return Block(
        original.type,
        original.labels,
        original.file,
        original.line,
        {**original.attrs, **override.attrs},
        blocks,
    )


def _add_blocks(config: ModuleConfig, top: Block) -> None:
    for block in top.blocks:
        kind, labels = block.type, block.labels
        if kind in ("resource", "data") and len(labels) == 2:
            identity = (kind, labels[0], labels[1])
            if identity in config.declared:
                where = f"{display(block.file)}:{block.line}"
                raise InputError(f"{where}: {kind} {labels[0]}.{labels[1]} is declared twice")
            config.declared[identity] = block
            config.resources.append(block)
        elif kind == "variable" and labels:
            config.variables[labels[0]] = block
        elif kind == "output" and labels:
            config.outputs[labels[0]] = block
        elif kind == "module" and labels:
            config.modules[labels[0]] = block
        elif kind == "provider" and labels:
            config.providers.append(block)
        elif kind == "locals":
            config.locals.update(block.attrs)
