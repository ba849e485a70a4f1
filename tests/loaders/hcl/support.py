"""Helpers of the HCL loader tests: write a tree of files and load it, or evaluate one expression."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.hcl import load_hcl
from compliance.model import InputError, Resource


def write(base: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return base


def load(base: Path, files: dict[str, str | bytes], **kwargs: Any) -> dict[str, Resource]:
    write(base, files)
    return {r.address: r for r in load_hcl([base], **kwargs)}


def value(tmp_path: Path, expression: str, extra: str = "") -> Any:
    resources = load(tmp_path, {"main.tf": f'resource "t_x" "e" {{\n  v = {expression}\n}}\n{extra}'})
    return resources["t_x.e"].values["v"]


def error_of(paths: list[Path], **kwargs: Any) -> str:
    """The one-line InputError message loading `paths` raises."""
    with pytest.raises(InputError) as caught:
        load_hcl(paths, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message
