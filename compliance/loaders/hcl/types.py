"""Variable type constraints: conversion of given values, including `optional(type, default)` attributes."""

from __future__ import annotations

from typing import Any

from compliance.loaders.hcl.parse import JsonExpr, parse_expression, trees
from compliance.loaders.hcl.values import EvalError, number, to_bool, to_string
from compliance.model import Unknown

Type = tuple[Any, ...]
ANY: Type = ("any",)


def parse_type(node: Any) -> Type:
    """A type descriptor from a type expression (`list(object({a = optional(bool, true)}))`)."""
    if isinstance(node, JsonExpr):
        if not isinstance(node.value, str):
            return ANY
        try:
            node = parse_expression(node.value, "type")
        except Exception:
            return ANY
    return _type(node)


def _type(node: Any) -> Type:
    while node.data == "expr_term" and len(trees(node)) == 1:
        node = trees(node)[0]
    if node.data == "identifier":
        name = str(node.children[0])
        return (name,) if name in ("string", "number", "bool") else ANY
    if node.data != "function_call":
        return ANY
    parts = trees(node)
    name = str(parts[0].children[0])
    args = trees(parts[1]) if len(parts) > 1 else []
    if name in ("list", "set", "map") and args:
        return (name, _type(args[0]))
    if name == "tuple" and args:
        items = _unwrap(args[0])
        return ("tuple", tuple(_type(i) for i in trees(items))) if items.data == "tuple" else ANY
    if name == "object" and args:
        return _object_type(_unwrap(args[0]))
    return ANY


def _object_type(node: Any) -> Type:
    if node.data != "object":
        return ANY
    attributes: dict[str, tuple[Type, bool, Any]] = {}
    for elem in trees(node):
        key_node, value_node = trees(elem)
        key = _key_name(key_node)
        inner = _unwrap(value_node)
        if inner.data == "function_call" and str(trees(inner)[0].children[0]) == "optional":
            args = trees(trees(inner)[1]) if len(trees(inner)) > 1 else []
            default = args[1] if len(args) > 1 else None
            attributes[key] = (_type(args[0]) if args else ANY, True, default)
        else:
            attributes[key] = (_type(value_node), False, None)
    return ("object", attributes)


def type_shape(kind: Type) -> Any:
    """A type descriptor as plain data for the model: "string", "number", "bool", "any",
    {"list": inner} (set, map, tuple alike) or {"object": {attribute: inner}}."""
    if kind[0] in ("list", "set", "map"):
        return {kind[0]: type_shape(kind[1])}
    if kind[0] == "tuple":
        return {"tuple": [type_shape(item) for item in kind[1]]}
    if kind[0] == "object":
        return {"object": {key: type_shape(inner[0]) for key, inner in kind[1].items()}}
    return str(kind[0])


def _key_name(node: Any) -> str:
    inner = _unwrap(node.children[0])
    if inner.data in ("identifier", "keyword"):
        return str(inner.children[0])
    if inner.data == "string":
        parts = [p.children[0] for p in inner.children if getattr(p, "data", None) == "string_part"]
        return "".join(str(p) for p in parts)
    return ""


def _unwrap(node: Any) -> Any:
    while node.data == "expr_term" and len(trees(node)) == 1:
        node = trees(node)[0]
    return node


def convert(value: Any, kind: Type, default: Any) -> Any:
    """`value` converted to `kind`; `default(node)` evaluates an optional attribute's default.

    Values that do not fit are returned unchanged (Terraform would reject them; rules judge them as they are).
    """
    if value is None or isinstance(value, Unknown) or kind == ANY:
        return value
    try:
        return _convert(value, kind, default)
    except EvalError:
        return value


def _convert(value: Any, kind: Type, default: Any) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    name = kind[0]
    if name == "string" and not isinstance(value, list | dict):
        return to_string(value)
    if name == "number" and isinstance(value, str):
        return number(value)
    if name == "bool" and isinstance(value, str):
        return to_bool(value)
    if name in ("list", "set") and isinstance(value, list):
        return [_convert(item, kind[1], default) for item in value]
    if name == "map" and isinstance(value, dict):
        return {k: _convert(v, kind[1], default) for k, v in value.items()}
    if name == "tuple" and isinstance(value, list) and len(value) == len(kind[1]):
        return [_convert(item, t, default) for item, t in zip(value, kind[1], strict=True)]
    if name == "object" and isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, (attribute, optional, default_node) in kind[1].items():
            if key in value and value[key] is not None:
                result[key] = _convert(value[key], attribute, default)
            elif optional and default_node is not None:
                result[key] = _convert(default(default_node), attribute, default)
            else:
                result[key] = value.get(key)
        return result
    return value
