"""Who points at whom: the one reference index of a model, built once per model on first use.

A value points at a resource through the references of its Unknown values, or by a literal id, ARN or
name equal to the resource's own (an already-applied resource in a plan). A companion resource (a
bucket's versioning, a secret's rotation, a VPC's flow log, a route's table) names its target that way;
companions are separate resources in the AWS provider, so a rule on the target looks them up here instead
of each rule re-implementing reference matching. Lookups by (types, attribute) are indexed once per model.

Unset versus unknown is the loaders' business: an attribute the configuration leaves unset is None in
both forms (the plan loader marks it so), so rules read values as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance.analysis.values import get
from compliance.model import Model, Resource, Unknown

UNRESOLVED = "(unresolved)"


@dataclass
class Links:
    """Who names whom through one attribute of some resource types."""

    by_address: dict[str, list[Resource]] = field(default_factory=dict)  # references, resolved
    by_name: dict[str, list[Resource]] = field(default_factory=dict)  # literal values
    anonymous: list[Resource] = field(default_factory=list)  # unknown, no references
    dangling: list[Resource] = field(default_factory=list)  # references to nothing in the model


class Index:
    """The reference index of one model: resources by their known id or ARN, and, per (types, attribute),
    who names whom. Built on first use and kept with the model (`index`)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.by_id: dict[str, list[Resource]] = {}
        for resource in model.resources:
            for key in ("id", "arn"):
                value = resource.values.get(key)
                if isinstance(value, str) and value:
                    self.by_id.setdefault(value, []).append(resource)
        self._links: dict[tuple[tuple[str, ...], str], Links] = {}
        self._pointers: dict[tuple[str, str], dict[str, list[Resource]]] = {}

    def links(self, types: tuple[str, ...], attribute: str) -> Links:
        """Resources of `types` by what their (dotted) `attribute` names: resolved references, literals."""
        found = self._links.get((types, attribute))
        if found is None:
            found = self._links[(types, attribute)] = _links(self.model, types, attribute)
        return found

    def pointing(self, kind: str, key: str) -> dict[str, list[Resource]]:
        """Resources of `kind` by the address their `key` attribute points at (UNRESOLVED: unknown),
        literal ids and ARNs resolved too."""
        found = self._pointers.get((kind, key))
        if found is None:
            found = {}
            for resource in self.model.of_type(kind):
                value = resource.values.get(key)
                if unresolved(value):
                    found.setdefault(UNRESOLVED, []).append(resource)
                for target in {r.address for r in targets(value, self.model)}:
                    found.setdefault(target, []).append(resource)
            self._pointers[(kind, key)] = found
        return found


def index(model: Model) -> Index:
    return model.memo("references", lambda: Index(model))


def links(model: Model, types: tuple[str, ...], attribute: str) -> Links:
    return index(model).links(types, attribute)


def pointing(model: Model, kind: str, key: str) -> dict[str, list[Resource]]:
    return index(model).pointing(kind, key)


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


def _links(model: Model, types: tuple[str, ...], attribute: str) -> Links:
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
    found_links = links(model, (kind,), attribute)
    own = [target.values.get(key) for key in keys]
    found: dict[str, tuple[Resource, bool | None]] = {}
    for other in found_links.by_address.get(target.address, ()):
        found[other.address] = (other, True)
    for value in own:
        if isinstance(value, str) and value:
            for other in found_links.by_name.get(value, ()):
                found[other.address] = (other, True)
    maybe = [*found_links.anonymous, *found_links.dangling]
    if _unknown_key(own):
        maybe += [other for values in found_links.by_name.values() for other in values]
    for other in maybe:
        found.setdefault(other.address, (other, None))
    yield from (found[address] for address in sorted(found))


def refs_in(value: Any) -> tuple[str, ...]:
    """Every reference carried by Unknown values anywhere inside `value`."""
    found: list[str] = []
    if isinstance(value, Unknown):
        found.extend(value.refs)
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(refs_in(item))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(refs_in(item))
    return tuple(found)


def targets(value: Any, model: Model, *types: str) -> tuple[Resource, ...]:
    """Resources of `types` that a value points at: through the references of Unknown values, or by a
    literal id or ARN equal to a resource's own (an already-applied resource in a plan)."""
    seen: dict[str, Resource] = {}
    for resource in _pointed_at(value, model):
        if not types or resource.type in types:
            seen[resource.address] = resource
    return tuple(seen.values())


def references(value: Any, resource: Resource, model: Model) -> bool:
    """Whether `value` points at `resource` (an exact instance or its whole counted resource)."""
    return any(r.address == resource.address for r in _pointed_at(value, model))


def _pointed_at(value: Any, model: Model) -> Iterator[Resource]:
    for ref in refs_in(value):
        yield from model.resolve(ref)
    by_id = index(model).by_id
    for text in _strings(value):
        yield from by_id.get(text, ())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def unresolved(value: Any) -> bool:
    """An unknown value with no reference: nothing tells what it points at."""
    return isinstance(value, Unknown) and not value.refs


def items(value: Any) -> list[Any] | Unknown:
    """A list-valued attribute as a list; an unknown list as Unknown."""
    if isinstance(value, Unknown):
        return value
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def linked(
    target: Resource, model: Model, types: tuple[str, ...], attribute: str, names: Iterable[Any] = ()
) -> tuple[list[Resource], bool]:
    """Resources of `types` whose `attribute` names `target` (by reference or by one of its literal
    `names`), and whether another one might (an unknown value without references)."""
    named = links(model, types, attribute)
    found = {other.address: other for other in named.by_address.get(target.address, ())}
    for name in names:
        if isinstance(name, str):
            found.update((other.address, other) for other in named.by_name.get(name, ()))
    found.pop(target.address, None)
    maybe = any(other.address != target.address for other in named.anonymous)
    return list(found.values()), maybe


def refers_to(value: Unknown, model: Model, *types: str) -> bool:
    """Whether an unknown value is a reference to resources of these types only (e.g. a role's ARN),
    as opposed to a value computed from something else."""
    found = [r for ref in value.refs for r in model.resolve(ref)]
    return bool(found) and all(r.type in types for r in found)
