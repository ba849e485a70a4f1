"""manifest.json: the sha256 of every file of a bundle plus how it was made, and the check that a folder
still matches it (no file modified, missing or added).

The manifest is serialised with sorted keys and a fixed layout so that identical inputs and a fixed
SOURCE_DATE_EPOCH give identical bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.evidence.report import RunInfo
from compliance.evidence.sign import SIGNATURE_FILE
from compliance.model import InputError

MANIFEST_FILE = "manifest.json"
FORMAT = "notegen-evidence-manifest/1"
UNLISTED = frozenset({MANIFEST_FILE, SIGNATURE_FILE})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_files(folder: Path) -> dict[str, Mapping[str, Any]]:
    """Relative path (POSIX) -> {sha256, size} of every file under `folder` except the manifest and its
    signature."""
    found: dict[str, Mapping[str, Any]] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name not in UNLISTED:
            found[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return found


def build(run: RunInfo, folder: Path, extra: Mapping[str, Any]) -> bytes:
    """The manifest for the files now in `folder`; `extra` adds metadata (checkov version, signing key)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "env": run.env,
        "generated_at": run.generated_at,
        "tool_version": run.tool_version,
        "git_commit": run.git_commit,
        "git_dirty": run.git_dirty,
        "plan_sha256": run.plan_sha256,
        "inputs": [{"kind": i.kind, "path": i.path, "sha256": i.sha256} for i in run.inputs],
        "terraform_version": run.terraform_version,
        "providers": dict(run.providers),
        **extra,
        "files": bundle_files(folder),
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True, slots=True)
class TreeCheck:
    modified: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.modified or self.missing or self.extra)


def read(folder: Path) -> Mapping[str, Any]:
    path = folder / MANIFEST_FILE
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError as error:
        raise InputError(f"{path}: no manifest; is {folder} an evidence bundle?") from error
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: unreadable manifest ({error})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"{path}: not a {FORMAT} manifest")
    if not isinstance(document.get("files"), dict):
        raise InputError(f"{path}: manifest has no files table")
    return document


def check_tree(folder: Path, manifest: Mapping[str, Any]) -> TreeCheck:
    """Compare the folder with the manifest's files table."""
    listed: Mapping[str, Any] = manifest["files"]
    present = bundle_files(folder)
    modified = tuple(
        name
        for name in sorted(set(listed) & set(present))
        if not isinstance(listed[name], dict) or listed[name].get("sha256") != present[name]["sha256"]
    )
    return TreeCheck(
        modified=modified,
        missing=tuple(sorted(set(listed) - set(present))),
        extra=tuple(sorted(set(present) - set(listed))),
    )
