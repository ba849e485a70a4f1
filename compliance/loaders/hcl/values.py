"""Value helpers shared by the HCL evaluator and its functions: unknown propagation and conversions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from compliance.model import Unknown

REDACTED = "(sensitive)"
"""What a sensitive value is replaced with (the same marker as the plan loader's)."""


class EvalError(Exception):
    """An expression Terraform would reject (bad index, wrong type...): `try()` catches it."""


def has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    return False


def _unknowns(value: Any) -> Iterator[Unknown]:
    if isinstance(value, Unknown):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _unknowns(item)
    elif isinstance(value, list):
        for item in value:
            yield from _unknowns(item)


def merge_unknown(values: Iterable[Any], reason: str = "") -> Unknown:
    """One Unknown carrying the refs of every unknown found (deeply) in `values`."""
    refs: dict[str, None] = {}
    first = reason
    for value in values:
        for unknown in _unknowns(value):
            refs.update(dict.fromkeys(unknown.refs))
            first = first or unknown.reason
    return Unknown(refs=tuple(refs), reason=first)


def number(value: Any) -> int | float:
    """A Terraform number from a number or a numeric string."""
    if isinstance(value, bool) or value is None:
        raise EvalError(f"a number is required, got {type_name(value)}")
    if isinstance(value, int | float):
        return normal(value)
    if isinstance(value, str):
        try:
            return normal(float(value)) if any(c in value for c in ".eE") else int(value, 10)
        except ValueError:
            raise EvalError(f"cannot convert {value!r} to a number") from None
    raise EvalError(f"a number is required, got {type_name(value)}")


def normal(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def to_string(value: Any) -> str:
    """Terraform's automatic conversion of a primitive to string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(normal(value)) if not value.is_integer() else str(int(value))
    if value is None:
        raise EvalError("cannot use a null value in a string")
    raise EvalError(f"cannot convert {type_name(value)} to string")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"a bool is required, got {type_name(value)}")


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def equal(left: Any, right: Any) -> bool:
    """Terraform equality: no implicit conversion, so 1 != "1" and true != 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)
    if type_name(left) != type_name(right):
        return False
    return bool(left == right)


def encode_json(value: Any) -> str:
    """Compact JSON as Terraform's jsonencode writes it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def is_set(value: Any) -> bool:
    """True when a value is certainly non-empty: a known non-empty value or a reference."""
    if isinstance(value, Unknown):
        return bool(value.refs)
    return value not in (None, "", [], {})


def redact(values: dict[str, Any], paths: frozenset[str]) -> dict[str, Any]:
    """Values with the strings under each sensitive path replaced by REDACTED.

    Only non-empty strings can hold a secret: structure, empty strings, numbers, booleans, nulls and
    unknowns stay, so rules still judge `encrypted = var.flag` or an empty key correctly.
    """
    for path in paths:
        container: Any = values
        *parents, last = path.split(".")
        for part in parents:
            container = _child(container, part)
        if isinstance(container, list) and _child(container, last) is not _ABSENT:
            container[int(last)] = _hide(container[int(last)])
        elif isinstance(container, dict) and last in container:
            container[last] = _hide(container[last])
    return values


def _hide(value: Any) -> Any:
    if isinstance(value, str):
        return REDACTED if value else value
    if isinstance(value, dict):
        return {k: _hide(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide(v) for v in value]
    return value


_ABSENT: Any = object()


def _child(container: Any, part: str) -> Any:
    if isinstance(container, dict):
        return container.get(part, _ABSENT)
    if isinstance(container, list) and part.isdigit() and int(part) < len(container):
        return container[int(part)]
    return _ABSENT
