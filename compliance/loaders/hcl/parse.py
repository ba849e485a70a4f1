"""Reading Terraform files into a small block/attribute tree whose expressions stay unevaluated.

HCL is parsed by python-hcl2 into its raw Lark tree (exact expressions, line numbers); `.tf.json` files
become the same `Block`s with `JsonExpr` expressions. Parse trees are cached by content hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.model import InputError

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Files larger than this are refused as bad input."""

_TREE_CACHE: dict[str, Any] = {}  # sha256 of a file's text -> parse tree: each file is parsed once
_TEMPLATE_CACHE: dict[str, Any] = {}
_CACHE_LIMIT = 2048  # entries; a long-running process (pytest plugin, service) must not grow forever


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


@dataclass(frozen=True, slots=True)
class JsonExpr:
    """An expression written in JSON syntax: strings are templates, everything else literal."""

    value: Any
    literal: bool = False


@dataclass(frozen=True, slots=True)
class Attr:
    name: str
    expr: Any  # a Lark Tree or a JsonExpr
    line: int


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    file: Path
    line: int
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


def read_text(path: Path) -> str:
    """The text of a configuration file, refusing huge, binary and non-UTF-8 files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{display(path)}: file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit")
        data = path.read_bytes()
    except RuntimeError as error:  # symlink loop on older Pythons
        raise InputError(f"{display(path)}: cannot read file: {one_line(str(error))}") from None
    except OSError as error:
        raise InputError(f"{display(path)}: cannot read file: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{display(path)}: file is over the {MAX_FILE_BYTES}-byte limit")
    if b"\x00" in data:
        raise InputError(f"{display(path)}: binary file (contains NUL bytes), not Terraform")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{display(path)}: not UTF-8 text (byte {error.start})") from None


def parse_file(path: Path, variables: bool = False) -> Block:
    """The top-level body of a .tf or .tf.json file, or of a variable file (`variables`)."""
    text = read_text(path)
    if path.name.endswith(".json"):
        return _json_body(path, text, variables)
    try:
        return _hcl_body(_tree(text, path), path)
    except RecursionError:
        raise InputError(f"{display(path)}: blocks nested too deeply") from None


def parse_expression(text: str, where: str) -> Any:
    """Parse a lone expression (used for JSON-syntax type and provider references)."""
    tree = _tree(f"x = {text}", Path(where))
    attr = _children(tree.children[0])[0]
    return _children(attr)[-1]


def parse_template(text: str) -> Any:
    """Parse template text (a heredoc body or a JSON string) into an HCL `string` tree."""
    cached = _TEMPLATE_CACHE.get(text)
    if cached is None:
        quoted = "".join(_quote_template(text))
        tree = _parse_or_none(f'x = "{quoted}"')
        if tree is None:
            raise ValueError("invalid template")
        attr = _children(tree.children[0])[0]
        cached = _children(attr)[-1].children[0]
        _remember(_TEMPLATE_CACHE, text, cached)
    return cached


def literal_string(expr: Any) -> str | None:
    """The value of a plain string literal expression (no interpolation), else None."""
    if isinstance(expr, JsonExpr):
        return expr.value if isinstance(expr.value, str) else None
    node = expr
    while node.data == "expr_term" and len(_children(node)) == 1:
        node = _children(node)[0]
    if node.data != "string":
        return None
    parts = [p.children[0] for p in node.children if getattr(p, "data", None) == "string_part"]
    if not all(getattr(p, "type", "") == "STRING_CHARS" for p in parts):
        return None
    return "".join(str(p) for p in parts)


def display(path: Path) -> str:
    """A path as findings show it: relative to the working directory when under it."""
    try:
        text = str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        text = str(path.absolute())
    if any(ord(c) < 32 for c in text):  # keep messages on one line whatever the file is called
        text = text.encode("unicode_escape").decode("ascii")
    return text


def one_line(text: str) -> str:
    return " ".join(text.split())


def _tree(text: str, path: Path) -> Any:
    key = hashlib.sha256(text.encode()).hexdigest()
    tree = _TREE_CACHE.get(key)
    if tree is None:
        tree = _parse_hcl(text, path)
        _remember(_TREE_CACHE, key, tree)
    return tree


@functools.cache
def _parser() -> Any:
    """python-hcl2's LALR parser, loaded from its own cache without position propagation.

    Positions on every tree node cost ~40% of parse time; lines are read from tokens instead. When
    hcl2's cache is missing or older than its grammar, hcl2 builds (and caches) the parser itself.
    Imported lazily: loading the parser takes ~150 ms.
    """
    import importlib.util

    from lark import Lark

    try:
        package = importlib.util.find_spec("hcl2")
        assert package is not None and package.origin is not None
        cache = Path(package.origin).with_name(".lark_cache.bin")
        if cache.stat().st_mtime >= cache.with_name("hcl2.lark").stat().st_mtime:
            with cache.open("rb") as file:
                file.readline()
                pickle.load(file)  # the files the grammar was built from
                data = pickle.load(file)
            parser = Lark.__new__(Lark)
            parser._load(data, propagate_positions=False, postlex=_postlexer(cache.with_name("postlexer.py")))
            return parser
    except Exception:  # any problem with the cache: let hcl2 load its parser
        pass
    from hcl2 import parser as hcl2_parser

    return hcl2_parser.parser()


def _postlexer(path: Path) -> Any:
    """hcl2's PostLexer, loaded without importing the whole hcl2 package (~35 ms of unused modules)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_compliance_hcl2_postlexer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PostLexer()


def _parse_hcl(text: str, path: Path) -> Any:
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return _parser().parse(text + "\n")
    except UnexpectedInput as error:
        line = error.line if isinstance(error.line, int) and error.line > 0 else text.count("\n") + 1
        raise InputError(f"{display(path)}:{line}: invalid HCL: {_describe(error)}") from None
    except (LarkError, ValueError, RecursionError) as error:
        raise InputError(f"{display(path)}: invalid HCL: {one_line(str(error))[:200]}") from None


def _parse_or_none(text: str) -> Any:
    from lark.exceptions import LarkError

    try:
        return _parser().parse(text + "\n")
    except (LarkError, ValueError, RecursionError):
        return None


def _describe(error: Any) -> str:
    token = getattr(error, "token", None)
    if token is not None:
        if token.type == "$END":
            return "unexpected end of file"
        text = str(token).strip()
        if not text:
            return f"unexpected line break at column {error.column}"
        return f"unexpected {text[:40]!r} at column {error.column}"
    char = getattr(error, "char", None)
    if char is not None:
        return f"unexpected character {char!r} at column {error.column}"
    return "unexpected end of file"


def trees(node: Any) -> list[Any]:
    """The subtrees of a node that carry meaning (no tokens, newlines or comments)."""
    return [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]


def _children(tree: Any) -> list[Any]:
    """Children that carry meaning (no newlines or comments)."""
    return [
        c
        for c in tree.children
        if getattr(c, "data", None) != "new_line_or_comment" and getattr(c, "type", "") != "NL_OR_COMMENT"
    ]


def _hcl_body(tree: Any, path: Path) -> Block:
    body = tree.children[0]
    top = Block("", (), path, 1)
    _fill(top, body, path)
    return top


def _fill(block: Block, body: Any, path: Path) -> None:
    for item in body.children:
        kind = getattr(item, "data", None)
        if kind == "attribute":
            parts = _children(item)
            name = _name(parts[0])
            line = _line(item)
            if name in block.attrs:
                raise InputError(f"{display(path)}:{line}: attribute {name!r} is defined twice")
            block.attrs[name] = Attr(name, parts[-1], line)
        elif kind == "block":
            parts = _children(item)
            names = [_name(p) for p in parts if getattr(p, "data", None) is not None and p.data != "body"]
            inner = next(p for p in parts if getattr(p, "data", None) == "body")
            child = Block(names[0], tuple(names[1:]), path, _line(item))
            _fill(child, inner, path)
            block.blocks.append(child)


def _line(node: Any) -> int:
    """The line of a node's first token (the parser does not propagate positions to trees)."""
    while hasattr(node, "children"):
        node = node.children[0]
    return int(getattr(node, "line", 0) or 0)


def _name(node: Any) -> str:
    if node.data == "string":
        return "".join(str(p.children[0]) for p in node.children if getattr(p, "data", None) == "string_part")
    return str(node.children[0])


# --- JSON syntax -------------------------------------------------------------------------------------

_LABELS = {"resource": 2, "data": 2, "module": 1, "provider": 1, "variable": 1, "output": 1}


def _json_body(path: Path, text: str, variables: bool) -> Block:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", 0)
        raise InputError(f"{display(path)}:{line}: invalid JSON: {one_line(str(error))[:200]}") from None
    if not isinstance(document, dict):
        raise InputError(f"{display(path)}: invalid Terraform JSON: the top level is not an object")
    top = Block("", (), path, 1)
    lines = _LineFinder(text)
    if variables:
        for key, value in document.items():
            top.attrs[key] = Attr(key, JsonExpr(value, literal=True), lines.find(key))
        return top
    for kind, content in document.items():
        if kind == "locals":
            for part in content if isinstance(content, list) else [content]:
                block = Block("locals", (), path, lines.find(kind))
                _json_attrs(block, part, lines)
                top.blocks.append(block)
        elif kind in _LABELS:
            for labels, body in _json_labelled(content, _LABELS[kind], ()):
                line = lines.find(labels[-1])
                block = Block(kind, labels, path, line)
                _json_attrs(block, body, lines)
                top.blocks.append(block)
    return top


def _json_labelled(
    content: Any, depth: int, labels: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    if depth == 0:
        for body in content if isinstance(content, list) else [content]:
            yield labels, body
        return
    if isinstance(content, list):
        for item in content:
            yield from _json_labelled(item, depth, labels)
    elif isinstance(content, dict):
        for key, value in content.items():
            yield from _json_labelled(value, depth - 1, (*labels, key))


def _json_attrs(block: Block, body: Any, lines: _LineFinder) -> None:
    if not isinstance(body, dict):
        return
    for key, value in body.items():
        if key == "//":
            continue
        line = lines.find(key)
        if key == "dynamic" and isinstance(value, dict):
            for label, spec in _json_labelled(value, 1, ()):
                dynamic = Block("dynamic", label, block.file, line)
                _json_attrs(dynamic, spec, lines)
                block.blocks.append(dynamic)
        elif key in ("lifecycle", "provisioner", "connection"):
            continue
        elif key == "content" and block.type == "dynamic" and isinstance(value, dict):
            content = Block("content", (), block.file, line)
            _json_attrs(content, value, lines)
            block.blocks.append(content)
        else:
            literal = block.type == "variable" and key == "default"
            block.attrs[key] = Attr(key, JsonExpr(value, literal=literal), line)


class _LineFinder:
    """Approximate line numbers for JSON keys: the next occurrence after the previous one found."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def find(self, key: str) -> int:
        found = self.text.find(json.dumps(key), self.position)
        if found < 0:
            found = self.text.find(json.dumps(key))
        if found < 0:
            return 1
        self.position = found + 1
        return self.text.count("\n", 0, found) + 1


# --- templates ---------------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LITERAL = re.compile(r'[\\"\n\r\t]')


def _quote_template(text: str) -> Iterator[str]:
    """Quote the literal parts of a template and keep its ${...} and %{...} sequences verbatim."""
    index = 0
    start = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in ("$$", "%%") and text[index + 2 : index + 3] == "{":
            index += 3
            continue
        if pair in ("${", "%{"):
            yield _LITERAL.sub(lambda m: _ESCAPES[m.group()], text[start:index])
            end = _closing_brace(text, index + 2)
            yield text[index:end]
            index = start = end
            continue
        index += 1
    yield _LITERAL.sub(lambda m: _ESCAPES[m.group()], text[start:])


def _closing_brace(text: str, index: int) -> int:
    """Index just past the brace closing a ${ or %{ opened before `index` (strings skipped)."""
    depth = 1
    while index < len(text):
        char = text[index]
        if char == '"':
            index = _string_end(text, index + 1)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError("unterminated template sequence")


def _string_end(text: str, index: int) -> int:
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        if text.startswith("${", index):
            index = _closing_brace(text, index + 2)
            continue
        index += 1
    raise ValueError("unterminated string")
