"""HCL templates: string parts assembled into if/for directives, escapes, heredoc bodies.

A template with unknown parts that renders a JSON document is decoded with Unknown leaves, so heredoc
policies keep their structure for the rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

from compliance.loaders.hcl.parse import trees
from compliance.loaders.hcl.values import EvalError, merge_unknown, to_string

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def compile_template(node: Any) -> list[Any]:
    """Turn a string's flat parts into literal strings and nested ("interp"|"if"|"for", ...) items."""
    root: list[Any] = []
    stack: list[tuple[list[Any], Any]] = [(root, None)]
    strip_next = False
    for part in node.children:
        if getattr(part, "data", None) != "string_part":
            continue
        inner = part.children[0]
        out = stack[-1][0]
        kind = getattr(inner, "data", None)
        if kind is None:
            text = str(inner)
            text = (
                text[1:] if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE") else unescape(text)
            )
            if strip_next:
                text = text.lstrip()
            strip_next = False
            out.append(text)
            continue
        if kind == "interpolation":
            strip_next = False
            out.append(("interp", trees(inner)[0]))
            continue
        markers = [c for c in inner.children if getattr(c, "type", "") == "STRIP_MARKER"]
        if markers and inner.children[1] is markers[0] and out and isinstance(out[-1], str):
            out[-1] = out[-1].rstrip()
        strip_next = bool(markers) and inner.children[-2] is markers[-1]
        if kind == "template_if_start":
            item: list[Any] = ["if", trees(inner)[0], [], []]
            out.append(item)
            stack.append((item[2], item))
        elif kind == "template_else":
            _, item = stack.pop()
            stack.append((item[3], item))
        elif kind == "template_for_start":
            names = [str(c.children[0]) for c in trees(inner) if c.data == "identifier"]
            key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
            item = ["for", key_name, value_name, trees(inner)[-1], []]
            out.append(item)
            stack.append((item[4], item))
        elif len(stack) > 1:  # endif / endfor
            stack.pop()
        else:
            raise EvalError("unbalanced template directive")
    if len(stack) != 1:
        raise EvalError("unterminated template directive")
    return _freeze(root)


def _freeze(items: list[Any]) -> list[Any]:
    frozen: list[Any] = []
    for item in items:
        if isinstance(item, list) and item[0] == "if":
            frozen.append(("if", item[1], _freeze(item[2]), _freeze(item[3])))
        elif isinstance(item, list):
            frozen.append(("for", item[1], item[2], item[3], _freeze(item[4])))
        else:
            frozen.append(item)
    return frozen


def template_piece(value: Any) -> str:
    if isinstance(value, dict | list):
        raise EvalError("cannot interpolate a collection into a string")
    return to_string(value)


_MARK = "\u0000UNKNOWN{}\u0000"
_MARKS = re.compile("\u0000UNKNOWN(\\d+)\u0000")


def json_with_unknowns(pieces: list[Any]) -> Any:
    """A JSON document with unknown values inside its strings, decoded with Unknown leaves.

    Keeps the structure of heredoc policies visible to rules while the unknown parts stay Unknown.
    """
    text = "".join(p if isinstance(p, str) else _MARK.format(i) for i, p in enumerate(pieces))
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        decoded = json.loads(text.replace("\u0000", "\\u0000"))
    except ValueError:
        return None

    def restore(value: Any) -> Any:
        if isinstance(value, str) and "\u0000" in value:
            return merge_unknown([pieces[int(i)] for i in _MARKS.findall(value)])
        if isinstance(value, list):
            return [restore(v) for v in value]
        if isinstance(value, dict):
            if any("\u0000" in k for k in value):
                raise EvalError("unknown object key")
            return {k: restore(v) for k, v in value.items()}
        return value

    try:
        return restore(decoded)
    except EvalError:
        return None


def unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, "\\" + code)

    return _ESCAPE.sub(replace, text)


def heredoc_body(token: str, trim: bool) -> str:
    lines = token.split("\n")
    body = [line.removesuffix("\r") for line in lines[1:-2]]
    if trim:
        indents = [len(line) - len(line.lstrip(" \t")) for line in body if line.strip()]
        cut = min(indents, default=0)
        body = [line[cut:] for line in body]
    return "\n".join(body) + "\n" if body else ""
