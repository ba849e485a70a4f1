"""The describers' one prologue, as data: which client, which call, with which identifier from the state,
and where the object sits in the answer. `described(lookup, shape)` turns it into a describer that
answers None when the object is gone, so each describer module keeps only its table and its shapers
(the provider's attribute names for the API's answer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.loaders.live.aws import Clients, absent, region_of

Values = dict[str, Any]
# (the object found, the state's values, the client) -> plan-shaped values, or None when it is gone
Shape = Callable[[Mapping[str, Any], Mapping[str, Any], Any], "Values | None"]
Describer = Callable[[Mapping[str, Any], Clients], "Values | None"]


@dataclass(frozen=True, slots=True)
class Lookup:
    """Fetch one live object: `call` on `service`, passing the state's `identifier` (the first of several
    state attributes that is set) as `param` (in a list of one when `listed`), then take `key` from the
    answer (the first item when it is a list; the whole answer when `key` is None)."""

    service: str
    call: str
    param: str
    key: str | None
    identifier: str | tuple[str, ...] = "id"
    listed: bool = True
    missing: tuple[str, ...] = ()  # error codes meaning "gone", besides aws.NOT_FOUND_CODES


def described(lookup: Lookup, shape: Shape) -> Describer:
    def describe(state: Mapping[str, Any], aws: Clients) -> Values | None:
        client = aws(lookup.service, region_of(state, aws.region))
        identifier = _identifier(state, lookup.identifier)
        argument = [identifier] if lookup.listed else identifier
        answer = absent(lambda: getattr(client, lookup.call)(**{lookup.param: argument}), *lookup.missing)
        found = answer if lookup.key is None else (answer or {}).get(lookup.key)
        if isinstance(found, list):
            found = found[0] if found else None
        return None if not found else shape(found, state, client)

    return describe


def _identifier(state: Mapping[str, Any], names: str | tuple[str, ...]) -> Any:
    """The state's value of `names` (a str), or of the first of them that is set (the last one is
    required: the describer of an object without an identifier is a bug)."""
    if isinstance(names, str):
        return state[names]
    *optional, required = names
    return next((str(state[n]) for n in optional if state.get(n)), None) or str(state[required])
