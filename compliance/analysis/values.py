"""Reading attribute values of the model: paths, blocks and three-valued truth."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from compliance.model import Status, Unknown


def get(values: Mapping[str, Any], path: str, default: Any = None) -> Any:
    """Value at a dotted path; a block (list of dicts) is entered at its first element
    unless the path gives an index. Unknown anywhere on the way is returned as is."""
    current: Any = values
    for part in path.split("."):
        if isinstance(current, Unknown):
            return current
        if isinstance(current, list | tuple):
            if part.isdigit():
                index = int(part)
                if index >= len(current):
                    return default
                current = current[index]
                continue
            if not current:
                return default
            current = current[0]
            if isinstance(current, Unknown):
                return current
        if not isinstance(current, Mapping) or part not in current:
            return default
        current = current[part]
    return current


def blocks(values: Mapping[str, Any], name: str) -> list[Mapping[str, Any]] | Unknown:
    """The list of nested blocks called `name` ([] when absent)."""
    value = values.get(name)
    if isinstance(value, Unknown):
        return value
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [value]
    return [item for item in value if isinstance(item, Mapping)]


def truth(value: Any) -> Status:
    """PASS for true, FAIL for false or absent, UNKNOWN for an unknown value."""
    if isinstance(value, Unknown):
        return Status.UNKNOWN
    if isinstance(value, str):
        return Status.PASS if value.lower() == "true" else Status.FAIL
    return Status.PASS if value is True else Status.FAIL


def is_set(value: Any) -> Status:
    """PASS for a non-empty value or a reference, FAIL for null/empty, UNKNOWN otherwise."""
    if isinstance(value, Unknown):
        return Status.PASS if value.refs else Status.UNKNOWN
    if value is None or value == "" or value == [] or value == {}:
        return Status.FAIL
    return Status.PASS


def describe(value: Any) -> str:
    """A short, secret-free description of a value for messages."""
    if isinstance(value, Unknown):
        return "a reference" if value.refs else "unknown"
    if value is None:
        return "unset"
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return type(value).__name__


@functools.lru_cache(maxsize=4096)
def decoded_json(text: str) -> Any:
    """JSON text (a policy, container definitions) decoded once per distinct text: several rules read
    the same document. Raises ValueError for invalid JSON. The result is shared: never mutate it."""
    return json.loads(text)
