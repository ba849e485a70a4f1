"""Modules `terraform init` installed: `.terraform/modules/modules.json` of a root.

Terraform records every module call it resolved (registry, git, local) under a key made of the call
names from the root (`vpc`, `vpc.subnets`) with the directory it installed the source into, relative to
the root. Following that record reads exactly the code Terraform will run; without it a call whose
source is not a local path cannot be followed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from compliance.loaders.hcl.parse import display
from compliance.model import InputError

MANIFEST = Path(".terraform") / "modules" / "modules.json"
NOT_INSTALLED = "run terraform init, or scan the plan"


@dataclass(frozen=True, slots=True)
class Installed:
    """One call as Terraform resolved it."""

    source: str
    version: str
    directory: Path


def read_manifest(root: Path) -> Mapping[str, Installed] | None:
    """Key -> installed module, or None when the root has no manifest (never initialised)."""
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{display(path)}: unreadable module manifest: {error}") from None
    entries = document.get("Modules") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{display(path)}: module manifest has no Modules list")
    installed: dict[str, Installed] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("Key", "Dir")):
            raise InputError(f"{display(path)}: module manifest entry without Key and Dir: {entry!r}")
        directory = (root / entry["Dir"]).resolve()
        installed[entry["Key"]] = Installed(
            str(entry.get("Source") or ""), str(entry.get("Version") or ""), directory
        )
    return installed


def manifest_key(static: str, name: str) -> str:
    """`a.b` for call `b` inside the instance of `module.a` (instance keys are not part of it)."""
    names = static.split(".")[1::2] if static else []
    return ".".join([*names, name])
