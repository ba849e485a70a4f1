"""Which resources attach to which: a companion resource (a bucket's versioning, a secret's rotation, a
VPC's flow log) names its target by reference, or by the target's literal name or id.

Companions are separate resources in the AWS provider, so a rule on the target looks them up here instead
of each rule re-implementing reference matching. The links are indexed once per model and attribute.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance.model import Model, Resource, Unknown
from compliance.values import get


def names(value: Any, target: Resource, model: Model, keys: Sequence[str] = ("id",)) -> bool | None:
    """Whether `value` names `target`: a reference resolving to it, or a literal equal to one of the
    target's `keys` values. None when it cannot be told before apply."""
    if isinstance(value, Unknown):
        named = [r.address for ref in value.refs for r in model.resolve(ref)]
        return target.address in named if named else None
    if value is None or value == "":
        return False
    own = [target.values.get(key) for key in keys]
    if value in own:
        return True
    return None if _unknown_key(own) and isinstance(value, str) else False


def _unknown_key(own: Sequence[Any]) -> bool:
    return any(isinstance(v, Unknown) and not v.refs for v in own)


@dataclass
class Links:
    """Who names whom through one attribute of some resource types."""

    by_address: dict[str, list[Resource]] = field(default_factory=dict)  # references, resolved
    by_name: dict[str, list[Resource]] = field(default_factory=dict)  # literal values
    anonymous: list[Resource] = field(default_factory=list)  # unknown, no references
    dangling: list[Resource] = field(default_factory=list)  # references to nothing in the model


def links(model: Model, types: tuple[str, ...], attribute: str) -> Links:
    return model.memo(("links", types, attribute), lambda: _index(model, types, attribute))


def _index(model: Model, types: tuple[str, ...], attribute: str) -> Links:
    found = Links()
    for other in model.of_type(*types):
        value = get(other.values, attribute)
        if isinstance(value, Unknown) and not value.refs:
            found.anonymous.append(other)
        elif isinstance(value, Unknown):
            targets = {r.address for ref in value.refs for r in model.resolve(ref)}
            for address in targets:
                found.by_address.setdefault(address, []).append(other)
            if not targets:
                found.dangling.append(other)
        elif isinstance(value, str) and value:
            found.by_name.setdefault(value, []).append(other)
    return found


def companions(
    target: Resource, model: Model, kind: str, attribute: str, keys: Sequence[str] = ("id",)
) -> Iterator[tuple[Resource, bool | None]]:
    """Resources of type `kind` whose `attribute` names the target, or may (None)."""
    index = links(model, (kind,), attribute)
    own = [target.values.get(key) for key in keys]
    found: dict[str, tuple[Resource, bool | None]] = {}
    for other in index.by_address.get(target.address, ()):
        found[other.address] = (other, True)
    for value in own:
        if isinstance(value, str) and value:
            for other in index.by_name.get(value, ()):
                found[other.address] = (other, True)
    maybe = [*index.anonymous, *index.dangling]
    if _unknown_key(own):
        maybe += [other for values in index.by_name.values() for other in values]
    for other in maybe:
        found.setdefault(other.address, (other, None))
    yield from (found[address] for address in sorted(found))
