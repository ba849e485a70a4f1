"""Control catalogues (HIPAA, PIPEDA). Rules name their controls; a control is automated when at least
one rule maps to it, otherwise it must be marked manual with who attests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from compliance.model import InputError, Rule

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Control:
    framework: str
    id: str
    title: str
    text: str
    mode: str  # "automated" | "manual"
    attested_by: str = ""


@dataclass(frozen=True, slots=True)
class Framework:
    name: str
    title: str
    url: str
    controls: tuple[Control, ...]


@cache
def catalog() -> tuple[Framework, ...]:
    return tuple(_load(path) for path in sorted(HERE.glob("*.yaml")))


def _load(path: Path) -> Framework:
    data = yaml.safe_load(path.read_text())
    try:
        name = str(data["framework"])
        controls = tuple(
            Control(
                framework=name,
                id=str(item["id"]),
                title=str(item["title"]),
                text=str(item["text"]),
                mode=str(item["mode"]),
                attested_by=str(item.get("attested_by", "")),
            )
            for item in data["controls"]
        )
        return Framework(name, str(data["title"]), str(data["url"]), controls)
    except (KeyError, TypeError) as error:
        raise InputError(f"{path}: malformed control catalogue ({error})") from error


def rules_for(control: Control, rules: Iterable[Rule]) -> tuple[str, ...]:
    """Ids of the rules that map to a control (derived from the rules: one source of truth)."""
    return tuple(r.id for r in rules if control.id in r.controls.get(control.framework, ()))
