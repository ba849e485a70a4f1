"""Control catalogues (HIPAA, PIPEDA). Rules name their controls; a control is automated when at least
one rule maps to it (derived from the rules, never written in the catalogue), otherwise it is manual and
the catalogue names who attests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from compliance.model import InputError

if TYPE_CHECKING:
    from compliance.model import Rule

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Control:
    framework: str
    id: str
    title: str
    text: str
    attested_by: str = ""  # who attests a control that no rule automates
    documents: tuple[str, ...] = ()  # the written procedures behind a manual control (repo paths)


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
                attested_by=str(item.get("attested_by", "")),
                documents=tuple(str(d) for d in item.get("documents", ())),
            )
            for item in data["controls"]
        )
        return Framework(name, str(data["title"]), str(data["url"]), controls)
    except (KeyError, TypeError) as error:
        raise InputError(f"{path}: malformed control catalogue ({error})") from error


@cache
def known_controls() -> frozenset[tuple[str, str]]:
    """(framework, control id) of every control in the catalogues: what a rule may map to."""
    return frozenset((c.framework, c.id) for framework in catalog() for c in framework.controls)


AUTOMATED = "automated"
MANUAL = "manual"


def mode(control: Control, rules: Iterable[Rule]) -> str:
    """automated when a rule maps to the control, else manual."""
    return AUTOMATED if rules_for(control, rules) else MANUAL


def rules_for(control: Control, rules: Iterable[Rule]) -> tuple[str, ...]:
    """Ids of the rules that map to a control (derived from the rules: one source of truth)."""
    return tuple(r.id for r in rules if control.id in r.controls.get(control.framework, ()))
