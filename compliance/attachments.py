"""Which resources attach to which: a companion resource (a bucket's versioning, a secret's rotation, a
VPC's flow log) names its target by reference, or by the target's literal name or id.

Companions are separate resources in the AWS provider, so a rule on the target looks them up here instead
of each rule re-implementing reference matching.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from compliance.model import Model, Resource, Unknown


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
    return (
        None if any(isinstance(v, Unknown) and not v.refs for v in own) and isinstance(value, str) else False
    )


def companions(
    target: Resource, model: Model, kind: str, attribute: str, keys: Sequence[str] = ("id",)
) -> Iterator[tuple[Resource, bool | None]]:
    """Resources of type `kind` whose `attribute` names the target, or may (None)."""
    for other in model.of_type(kind):
        named = names(other.values.get(attribute), target, model, keys)
        if named is not False:
            yield other, named
