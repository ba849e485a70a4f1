"""Terraform's built-in functions that compliance rules depend on.

Each function declares how it treats unknown arguments: "deep" functions need fully known arguments
(any unknown inside makes the result unknown, carrying the refs), "shallow" ones only need the
arguments themselves known and keep unknown elements in place (merge, concat, length...).
A function not listed here evaluates to Unknown: never a guess.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

from compliance.loaders.hcl.values import (
    EvalError,
    encode_json,
    equal,
    has_unknown,
    merge_unknown,
    normal,
    number,
    to_bool,
    to_string,
    type_name,
)
from compliance.model import Unknown

Function = Callable[..., Any]
MAX_RANGE = 100_000


def call(name: str, args: list[Any]) -> Any:
    entry = _FUNCTIONS.get(name)
    if entry is None:
        return Unknown(reason=f"function {name}() is not evaluated")
    function, deep = entry
    if any(has_unknown(a) if deep else isinstance(a, Unknown) for a in args):
        return merge_unknown(args)
    try:
        return function(*args)
    except TypeError as error:
        raise EvalError(f"{name}(): {error}") from None
    except (ValueError, KeyError, IndexError, StopIteration, ZeroDivisionError, OverflowError) as error:
        raise EvalError(f"{name}(): {error}") from None


# --- collections ---------------------------------------------------------------------------------------


def _list(value: Any, name: str = "argument") -> list[Any]:
    if isinstance(value, list):
        return value
    raise EvalError(f"{name} must be a list, got {type_name(value)}")


def _map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"a map is required, got {type_name(value)}")


def _merge(*maps: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in maps:
        if item is not None:
            result.update(_map(item))
    return result


def _concat(*lists: Any) -> list[Any]:
    return [item for items in lists for item in _list(items)]


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | dict):
        return len(value)
    raise EvalError(f"cannot take the length of {type_name(value)}")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    items = _map(mapping)
    name = to_string(key)
    if name in items:
        return items[name]
    if default:
        return default[0]
    raise EvalError(f"key {name!r} does not exist")


def _element(items: Any, position: Any) -> Any:
    values = _list(items)
    if not values:
        raise EvalError("cannot use element() with an empty list")
    return values[int(number(position)) % len(values)]


def _keys(mapping: Any) -> list[str]:
    return sorted(_map(mapping))


def _values(mapping: Any) -> list[Any]:
    items = _map(mapping)
    return [items[key] for key in sorted(items)]


def _contains(items: Any, value: Any) -> Any:
    values = _list(items) if not isinstance(items, dict) else list(items.values())
    if any(not has_unknown(v) and equal(v, value) for v in values):
        return True
    if has_unknown(values):
        return merge_unknown(values)
    return False


def _distinct(items: Any) -> list[Any]:
    result: list[Any] = []
    for item in _list(items):
        if not any(equal(item, seen) for seen in result):
            result.append(item)
    return result


def _flatten(items: Any) -> Any:
    result: list[Any] = []
    for item in _list(items):
        if isinstance(item, Unknown):
            return merge_unknown([item])
        if isinstance(item, list):
            inner = _flatten(item)
            if isinstance(inner, Unknown):
                return inner
            result.extend(inner)
        else:
            result.append(item)
    return result


def _compact(items: Any) -> list[Any]:
    return [item for item in _list(items) if item is not None and item != ""]


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    names, items = _list(keys), _list(values)
    if len(names) != len(items):
        raise EvalError("zipmap(): lists of different lengths")
    return {to_string(k): v for k, v in zip(names, items, strict=True)}


def _range(*args: Any) -> list[Any]:
    numbers = [number(a) for a in args]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (*numbers, 1)[:3]
    if step == 0:
        raise EvalError("range(): step must not be zero")
    result: list[Any] = []
    value = start
    while value < stop if step > 0 else value > stop:
        result.append(normal(value))
        value += step
        if len(result) > MAX_RANGE:
            raise EvalError(f"range(): more than {MAX_RANGE} elements")
    return result


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if isinstance(arg, Unknown):
            return merge_unknown([arg])
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): no non-null, non-empty argument")


def _coalescelist(*args: Any) -> Any:
    for arg in args:
        if _list(arg):
            return arg
    return []


def _slice(items: Any, start: Any, end: Any) -> list[Any]:
    return _list(items)[int(number(start)) : int(number(end))]


def _one(items: Any) -> Any:
    values = _list(items) if not isinstance(items, dict) else list(items.values())
    if len(values) > 1:
        raise EvalError("one(): more than one element")
    return values[0] if values else None


def _setop(kind: str) -> Function:
    def operation(*sets: Any) -> list[Any]:
        lists = [_list(s) for s in sets]
        result = _distinct(lists[0]) if kind != "union" else _distinct(_concat(*lists))
        for other in lists[1:]:
            if kind == "intersection":
                result = [v for v in result if any(equal(v, o) for o in other)]
            elif kind == "subtract":
                result = [v for v in result if not any(equal(v, o) for o in other)]
        return _sorted_set(result)

    return operation


def _sorted_set(items: list[Any]) -> list[Any]:
    if all(isinstance(i, str) for i in items):
        return sorted(items)
    return items


def _chunklist(items: Any, size: Any) -> list[Any]:
    values, step = _list(items), int(number(size))
    return [values[i : i + step] for i in range(0, len(values), step)] if step > 0 else [values]


# --- conversions ---------------------------------------------------------------------------------------


def _tostring(value: Any) -> Any:
    return None if value is None else to_string(value)


def _tonumber(value: Any) -> Any:
    return None if value is None else number(value)


def _tobool(value: Any) -> Any:
    return None if value is None else to_bool(value)


def _tolist(value: Any) -> list[Any]:
    return _list(value)


def _toset(value: Any) -> list[Any]:
    return _sorted_set(_distinct(_list(value)))


def _tomap(value: Any) -> dict[str, Any]:
    return dict(_map(value))


# --- strings -------------------------------------------------------------------------------------------


def _join(separator: Any, *lists: Any) -> str:
    items = [item for values in lists for item in _list(values)]
    return to_string(separator).join(to_string(item) for item in items)


def _split(separator: Any, text: Any) -> list[str]:
    return to_string(text).split(to_string(separator)) if to_string(text) else [""]


def _replace(text: Any, search: Any, replacement: Any) -> str:
    source, pattern, target = to_string(text), to_string(search), to_string(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        converted = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", target)
        return re.sub(pattern[1:-1], converted, source)
    return source.replace(pattern, target)


_FORMAT = re.compile(r"%(?:(\[\d+\]))?([-+ #0]*\d*(?:\.\d+)?)([sdfvqtxXobeEgG%])")


def _format(spec: Any, *args: Any) -> str:
    text = to_string(spec)
    position = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal position
        flags, verb = match.group(2), match.group(3)
        if verb == "%":
            return "%"
        if match.group(1):
            position = int(match.group(1)[1:-1]) - 1
        if position >= len(args):
            raise EvalError("format(): not enough arguments")
        value = args[position]
        position += 1
        if verb in "sv":
            rendered = value if isinstance(value, str) else _render(value)
            return ("%" + flags + "s") % rendered
        if verb == "q":
            return json.dumps(to_string(value))
        if verb == "t":
            return to_string(to_bool(value))
        if verb in "dxXob":
            whole = int(number(value))
            return (
                ("%" + flags + ("d" if verb == "b" else verb)) % whole if verb != "b" else format(whole, "b")
            )
        return ("%" + flags + verb) % float(number(value))

    return _FORMAT.sub(replace, text)


def _render(value: Any) -> str:
    if isinstance(value, list | dict):
        return encode_json(value)
    return to_string(value)


def _formatlist(spec: Any, *args: Any) -> list[str]:
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): lists of different lengths")
    count = lengths.pop() if lengths else 1
    return [_format(spec, *(a[i] if isinstance(a, list) else a for a in args)) for i in range(count)]


def _substr(text: Any, offset: Any, length: Any) -> str:
    source, start, size = to_string(text), int(number(offset)), int(number(length))
    if start < 0:
        start += len(source)
    return source[start:] if size < 0 else source[start : start + size]


def _regex(pattern: Any, text: Any) -> Any:
    match = re.search(to_string(pattern), to_string(text))
    if match is None:
        raise EvalError("regex(): no match")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


def _regexall(pattern: Any, text: Any) -> list[Any]:
    return [m.group(0) if not m.groups() else list(m.groups()) for m in re.finditer(pattern, to_string(text))]


def _indent(spaces: Any, text: Any) -> str:
    pad = " " * int(number(spaces))
    return to_string(text).replace("\n", "\n" + pad)


# --- encoding ------------------------------------------------------------------------------------------


def _jsonencode(value: Any) -> Any:
    """See the module convention in hcl.py: unknown leaves keep the structure instead of a string."""
    if has_unknown(value):
        return value
    return encode_json(value)


def _jsondecode(text: Any) -> Any:
    if not isinstance(text, str):
        return text  # an unknown-bearing jsonencode() result is already the structure
    try:
        return _normalise(json.loads(text))
    except ValueError as error:
        raise EvalError(f"jsondecode(): {error}") from None


def _normalise(value: Any) -> Any:
    if isinstance(value, float):
        return normal(value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def _yamldecode(text: Any) -> Any:
    import yaml

    try:
        return _normalise(yaml.safe_load(to_string(text)))
    except yaml.YAMLError as error:
        raise EvalError(f"yamldecode(): {' '.join(str(error).split())}") from None


def _digest(algorithm: str, encoding: str) -> Function:
    def digest(text: Any) -> str:
        hashed = hashlib.new(algorithm, to_string(text).encode())
        return hashed.hexdigest() if encoding == "hex" else base64.b64encode(hashed.digest()).decode()

    return digest


def _base64encode(text: Any) -> str:
    return base64.b64encode(to_string(text).encode()).decode()


def _base64decode(text: Any) -> str:
    return base64.b64decode(to_string(text)).decode()


# --- numbers and networks ------------------------------------------------------------------------------


def _min(*args: Any) -> Any:
    return normal(min(number(a) for a in args))


def _max(*args: Any) -> Any:
    return normal(max(number(a) for a in args))


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    bits, index = int(number(newbits)), int(number(netnum))
    new_prefix = network.prefixlen + bits
    if new_prefix > network.max_prefixlen or not 0 <= index < 2**bits:
        raise EvalError("cidrsubnet(): not enough address space")
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = ipaddress.ip_address(int(network.network_address) + index * size)
    return f"{address}/{new_prefix}"


def _cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    result: list[str] = []
    cursor = int(network.network_address)
    for bits in newbits:
        length = network.prefixlen + int(number(bits))
        size = 2 ** (network.max_prefixlen - length)
        cursor = (cursor + size - 1) // size * size
        result.append(f"{ipaddress.ip_address(cursor)}/{length}")
        cursor += size
    return result


def _cidrhost(prefix: Any, hostnum: Any) -> str:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    host = int(number(hostnum))
    if host < 0:
        host += network.num_addresses
    if not 0 <= host < network.num_addresses:
        raise EvalError("cidrhost(): host number out of range")
    return str(ipaddress.ip_address(int(network.network_address) + host))


def _cidrnetmask(prefix: Any) -> str:
    return str(ipaddress.IPv4Network(to_string(prefix), strict=False).netmask)


_FUNCTIONS: dict[str, tuple[Function, bool]] = {
    # collections: unknown elements are carried through
    "merge": (_merge, False),
    "concat": (_concat, False),
    "length": (_length, False),
    "lookup": (_lookup, False),
    "element": (_element, False),
    "keys": (_keys, False),
    "values": (_values, False),
    "contains": (_contains, False),
    "flatten": (_flatten, False),
    "compact": (_compact, False),
    "zipmap": (_zipmap, False),
    "coalesce": (_coalesce, False),
    "coalescelist": (_coalescelist, False),
    "slice": (_slice, False),
    "reverse": (lambda items: list(reversed(_list(items))), False),
    "one": (_one, False),
    "tolist": (_tolist, False),
    "tomap": (_tomap, False),
    "chunklist": (_chunklist, False),
    "jsonencode": (_jsonencode, False),
    "jsondecode": (_jsondecode, False),
    "nonsensitive": (lambda value: value, False),
    "alltrue": (lambda items: all(to_bool(i) for i in _list(items)), True),
    "anytrue": (lambda items: any(to_bool(i) for i in _list(items)), True),
    # everything else needs fully known arguments
    "distinct": (_distinct, True),
    "toset": (_toset, True),
    "setunion": (_setop("union"), True),
    "setintersection": (_setop("intersection"), True),
    "setsubtract": (_setop("subtract"), True),
    "range": (_range, True),
    "tostring": (_tostring, True),
    "tonumber": (_tonumber, True),
    "tobool": (_tobool, True),
    "format": (_format, True),
    "formatlist": (_formatlist, True),
    "join": (_join, True),
    "split": (_split, True),
    "replace": (_replace, True),
    "lower": (lambda text: to_string(text).lower(), True),
    "upper": (lambda text: to_string(text).upper(), True),
    "title": (lambda text: to_string(text).title(), True),
    "trimspace": (lambda text: to_string(text).strip(), True),
    "trim": (lambda text, chars: to_string(text).strip(to_string(chars)), True),
    "trimprefix": (lambda text, prefix: to_string(text).removeprefix(to_string(prefix)), True),
    "trimsuffix": (lambda text, suffix: to_string(text).removesuffix(to_string(suffix)), True),
    "startswith": (lambda text, prefix: to_string(text).startswith(to_string(prefix)), True),
    "endswith": (lambda text, suffix: to_string(text).endswith(to_string(suffix)), True),
    "strcontains": (lambda text, part: to_string(part) in to_string(text), True),
    "substr": (_substr, True),
    "regex": (_regex, True),
    "regexall": (_regexall, True),
    "indent": (_indent, True),
    "index": (lambda items, value: next(i for i, v in enumerate(_list(items)) if equal(v, value)), True),
    "sort": (lambda items: sorted(to_string(i) for i in _list(items)), True),
    "sum": (lambda items: normal(sum(number(i) for i in _list(items))), True),
    "abs": (lambda value: normal(abs(number(value))), True),
    "ceil": (lambda value: math.ceil(number(value)), True),
    "floor": (lambda value: math.floor(number(value)), True),
    "pow": (lambda a, b: normal(float(number(a)) ** float(number(b))), True),
    "signum": (lambda value: (number(value) > 0) - (number(value) < 0), True),
    "min": (_min, True),
    "max": (_max, True),
    "base64encode": (_base64encode, True),
    "md5": (_digest("md5", "hex"), True),
    "sha1": (_digest("sha1", "hex"), True),
    "sha256": (_digest("sha256", "hex"), True),
    "sha512": (_digest("sha512", "hex"), True),
    "base64sha256": (_digest("sha256", "base64"), True),
    "base64sha512": (_digest("sha512", "base64"), True),
    "base64decode": (_base64decode, True),
    "yamldecode": (_yamldecode, True),
    "cidrsubnet": (_cidrsubnet, True),
    "cidrsubnets": (_cidrsubnets, True),
    "cidrhost": (_cidrhost, True),
    "cidrnetmask": (_cidrnetmask, True),
}
