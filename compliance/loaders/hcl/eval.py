"""Evaluation of HCL expressions from python-hcl2's raw Lark tree.

Values are plain Python (str, int/float, bool, None, list, dict) or `Unknown`. References are handed
to a `Context` (the module instance), which knows variables, locals, modules and resources; for
expressions and dynamic-block iterators live in `env`. Anything Terraform would reject raises
`EvalError` (caught by try()/can(), turned into an Unknown by the caller).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from compliance.loaders.hcl import functions
from compliance.loaders.hcl.files import FILE_FUNCTIONS
from compliance.loaders.hcl.parse import JsonExpr, parse_template, trees
from compliance.loaders.hcl.protocols import Context, Env, Step
from compliance.loaders.hcl.templates import (
    compile_template,
    heredoc_body,
    json_with_unknowns,
    template_piece,
    unescape,
)
from compliance.loaders.hcl.values import (
    EvalError,
    encode_json,
    equal,
    has_unknown,
    is_set,
    merge_unknown,
    normal,
    number,
    to_bool,
    to_string,
)
from compliance.model import Unknown

_TRAVERSALS = frozenset(
    {"index_expr_term", "get_attr_expr_term", "attr_splat_expr_term", "full_splat_expr_term"}
)


class Evaluator:
    """Evaluates expressions; `sensitive` turns true when a sensitive value was read."""

    def __init__(self) -> None:
        self.sensitive = False
        self._templates: dict[int, tuple[Any, list[Any]]] = {}

    def evaluate(self, node: Any, ctx: Context, env: Env) -> Any:
        if isinstance(node, JsonExpr):
            return self._json(node.value, ctx, env, node.literal)
        method = _DISPATCH.get(node.data)
        if method is None:
            raise EvalError(f"unsupported expression {node.data}")
        return method(self, node, ctx, env)

    def value_or_unknown(self, node: Any, ctx: Context, env: Env) -> Any:
        """The value, or an Unknown naming the error when Terraform would reject the expression."""
        try:
            return self.evaluate(node, ctx, env)
        except EvalError as error:
            return Unknown(reason=str(error))
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:  # fail closed, never crash
            return Unknown(reason=f"cannot evaluate: {type(error).__name__}: {error}"[:200])

    # --- literals and collections -------------------------------------------------------------------

    def _term(self, node: Any, ctx: Context, env: Env) -> Any:
        return self.evaluate(trees(node)[0], ctx, env)

    def _int(self, node: Any, ctx: Context, env: Env) -> Any:
        return int(node.children[0])

    def _float(self, node: Any, ctx: Context, env: Env) -> Any:
        return normal(float(node.children[0]))

    def _literal(self, node: Any, ctx: Context, env: Env) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _tuple(self, node: Any, ctx: Context, env: Env) -> Any:
        return [self.evaluate(item, ctx, env) for item in trees(node)]

    def _object(self, node: Any, ctx: Context, env: Env) -> Any:
        result: dict[str, Any] = {}
        unknown_keys: list[Any] = []
        for elem in trees(node):
            key_node, value_node = trees(elem)
            key = self._key(key_node, ctx, env)
            value = self.evaluate(value_node, ctx, env)
            if isinstance(key, Unknown):
                unknown_keys.append(key)
            else:
                result[to_string(key)] = value
        if unknown_keys:
            return merge_unknown(unknown_keys, "object key is unknown")
        return result

    def _key(self, node: Any, ctx: Context, env: Env) -> Any:
        inner = node.children[0]
        if inner.data == "keyword":
            return str(inner.children[0])
        if inner.data == "expr_term" and len(inner.children) == 1:
            only = inner.children[0]
            if only.data == "identifier":
                return str(only.children[0])
        return self.evaluate(inner, ctx, env)

    # --- references ---------------------------------------------------------------------------------

    def _identifier(self, node: Any, ctx: Context, env: Env) -> Any:
        return self._reference(str(node.children[0]), [], ctx, env)

    def _traversal(self, node: Any, ctx: Context, env: Env) -> Any:
        raw: list[tuple[str, Any]] = []
        while getattr(node, "data", None) in _TRAVERSALS:
            base, op = trees(node)
            raw[:0] = _raw_steps(node.data, op)
            node = base
            inner = trees(node)
            if node.data == "expr_term" and len(inner) == 1 and inner[0].data in _TRAVERSALS:
                node = inner[0]
        steps = [(kind, self.evaluate(arg, ctx, env) if kind == "index_expr" else arg) for kind, arg in raw]
        steps = [("index", arg) if kind == "index_expr" else (kind, arg) for kind, arg in steps]
        inner = trees(node)
        if node.data == "expr_term" and len(inner) == 1 and inner[0].data == "identifier":
            return self._reference(str(inner[0].children[0]), steps, ctx, env)
        return apply_steps(self.evaluate(node, ctx, env), steps)

    def _reference(self, root: str, steps: list[Step], ctx: Context, env: Env) -> Any:
        if root in env:
            return apply_steps(env[root], steps)
        value, used = ctx.resolve(root, steps)
        return apply_steps(value, steps[used:])

    # --- operators ----------------------------------------------------------------------------------

    def _conditional(self, node: Any, ctx: Context, env: Env) -> Any:
        condition, then, otherwise = trees(node)
        test = self.evaluate(condition, ctx, env)
        if isinstance(test, Unknown):
            left = self.value_or_unknown(then, ctx, env)
            right = self.value_or_unknown(otherwise, ctx, env)
            if not has_unknown(left) and not has_unknown(right) and equal(left, right):
                return left
            if is_set(left) and is_set(right):
                return merge_unknown([test, left, right], "condition is unknown")
            return Unknown(reason=test.reason or "condition is unknown")
        return self.evaluate(then if to_bool(test) else otherwise, ctx, env)

    def _unary(self, node: Any, ctx: Context, env: Env) -> Any:
        operator = str(node.children[0]).strip()
        value = self.evaluate(node.children[1], ctx, env)
        if isinstance(value, Unknown):
            return value
        if operator == "!":
            return not to_bool(value)
        return normal(-number(value))

    def _binary(self, node: Any, ctx: Context, env: Env) -> Any:
        left_node, term = trees(node)[:2]
        operator_node, right_node = trees(term)
        operator = str(operator_node.children[0]).strip()
        left = self.evaluate(left_node, ctx, env)
        right = self.evaluate(right_node, ctx, env)
        return binary(operator, left, right)

    # --- strings and templates ----------------------------------------------------------------------

    def _string(self, node: Any, ctx: Context, env: Env) -> Any:
        entry = self._templates.get(id(node))
        if entry is None:
            entry = (node, compile_template(node))
            self._templates[id(node)] = entry
        return self._render(entry[1], ctx, env)

    def _template_string(self, node: Any, ctx: Context, env: Env) -> Any:
        text = str(node.children[0])
        return unescape(text[2:-2])

    def _heredoc(self, node: Any, ctx: Context, env: Env) -> Any:
        text = heredoc_body(str(node.children[0]), node.data == "heredoc_template_trim")
        return self.template(text, ctx, env)

    def template(self, text: str, ctx: Context, env: Env) -> Any:
        """Render template text (heredoc body, JSON string, templatefile content)."""
        if "${" not in text and "%{" not in text:
            return text
        try:
            tree = parse_template(text)
        except ValueError:
            raise EvalError("invalid template") from None
        return self._string(tree, ctx, env)

    def _render(self, items: list[Any], ctx: Context, env: Env) -> Any:
        if len(items) == 1 and isinstance(items[0], tuple) and items[0][0] == "interp":
            return self.evaluate(items[0][1], ctx, env)
        pieces: list[Any] = []
        self._render_into(items, ctx, env, pieces)
        unknowns = [p for p in pieces if isinstance(p, Unknown)]
        if not unknowns:
            return "".join(pieces)
        return json_with_unknowns(pieces) or replace(merge_unknown(unknowns), parts=_known_parts(pieces))

    def _render_into(self, items: list[Any], ctx: Context, env: Env, out: list[Any]) -> None:
        for item in items:
            if isinstance(item, str):
                out.append(item)
            elif item[0] == "interp":
                value = self.evaluate(item[1], ctx, env)
                out.append(merge_unknown([value]) if has_unknown(value) else template_piece(value))
            elif item[0] == "if":
                test = self.evaluate(item[1], ctx, env)
                if isinstance(test, Unknown):
                    out.append(test)
                else:
                    self._render_into(item[2] if to_bool(test) else item[3], ctx, env, out)
            else:
                _, key_name, value_name, collection_node, body = item
                collection = self.evaluate(collection_node, ctx, env)
                if has_unknown(collection):
                    out.append(merge_unknown([collection]))
                    continue
                for key, value in _iterate(collection):
                    scope = {**env, value_name: value}
                    if key_name:
                        scope[key_name] = key
                    self._render_into(body, ctx, scope, out)

    # --- for expressions ----------------------------------------------------------------------------

    def _for(self, node: Any, ctx: Context, env: Env) -> Any:
        parts = trees(node)
        intro = parts[0]
        names = [str(c.children[0]) for c in trees(intro) if c.data == "identifier"]
        collection_node = trees(intro)[-1]
        condition = parts[-1] if parts[-1].data == "for_cond" else None
        bodies = [p for p in parts[1:] if p is not condition]
        grouping = any(getattr(c, "type", "") == "ELLIPSIS" for c in node.children)
        collection = self.evaluate(collection_node, ctx, env)
        if isinstance(collection, Unknown):
            return collection
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        is_object = node.data == "for_object_expr"
        items: list[Any] = []
        result: dict[str, Any] = {}
        unknowns: list[Any] = []
        for key, value in _iterate(collection):
            scope = {**env, value_name: value}
            if key_name:
                scope[key_name] = key
            if condition is not None:
                keep = self.evaluate(trees(condition)[0], ctx, scope)
                if isinstance(keep, Unknown):
                    unknowns.append(keep)
                    continue
                if not to_bool(keep):
                    continue
            if not is_object:
                items.append(self.evaluate(bodies[0], ctx, scope))
                continue
            out_key = self.evaluate(bodies[0], ctx, scope)
            out_value = self.evaluate(bodies[1], ctx, scope)
            if isinstance(out_key, Unknown):
                unknowns.append(out_key)
            elif grouping:
                result.setdefault(to_string(out_key), []).append(out_value)
            elif to_string(out_key) in result:
                raise EvalError(f"duplicate key {out_key!r} in for expression")
            else:
                result[to_string(out_key)] = out_value
        if unknowns:
            return merge_unknown(unknowns, "for expression filter or key is unknown")
        return result if is_object else items

    # --- functions ----------------------------------------------------------------------------------

    def _call(self, node: Any, ctx: Context, env: Env) -> Any:
        parts = trees(node)
        names = [str(p.children[0]) for p in parts if p.data == "identifier"]
        if len(names) > 1:
            return Unknown(reason=f"provider function {'::'.join(names)} is not evaluated")
        name = names[0]
        arguments = next((p for p in parts if p.data == "arguments"), None)
        arg_nodes = trees(arguments) if arguments is not None else []
        expand = arguments is not None and any(
            getattr(c, "type", "") == "ELLIPSIS" for c in arguments.children
        )
        if name in ("try", "can"):
            return self._try(name, arg_nodes, ctx, env)
        args = [self.evaluate(a, ctx, env) for a in arg_nodes]
        if expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            if not isinstance(last, list):
                raise EvalError(f"{name}(...): the expanded argument is not a list")
            args.extend(last)
        return self.call(name, args, ctx)

    def call(self, name: str, args: list[Any], ctx: Context) -> Any:
        if name in FILE_FUNCTIONS:
            if any(has_unknown(a) for a in args[:1]):
                return merge_unknown(args[:1])
            return FILE_FUNCTIONS[name](self, args, ctx)
        if name in ("sensitive",):
            self.sensitive = True
            return args[0] if args else None
        return functions.call(name, args)

    def _try(self, name: str, nodes: list[Any], ctx: Context, env: Env) -> Any:
        for node in nodes:
            try:
                value = self.evaluate(node, ctx, env)
            except EvalError:
                if name == "can":
                    return False
                continue
            if name == "can":
                return merge_unknown([value]) if has_unknown(value) else True
            return value
        raise EvalError("try(): no argument could be evaluated")

    def _json(self, value: Any, ctx: Context, env: Env, literal: bool) -> Any:
        if isinstance(value, str):
            return value if literal else self.template(value, ctx, env)
        if isinstance(value, list):
            return [self._json(v, ctx, env, literal) for v in value]
        if isinstance(value, dict):
            return {k: self._json(v, ctx, env, literal) for k, v in value.items() if k != "//"}
        return normal(value) if isinstance(value, float) else value


# --- steps ---------------------------------------------------------------------------------------------


def _raw_steps(kind: str, op: Any) -> list[tuple[str, Any]]:
    if kind == "get_attr_expr_term":
        return [("attr", str(trees(op)[0].children[0]))]
    if kind == "index_expr_term":
        return [_index_step(op)]
    steps: list[tuple[str, Any]] = [("splat", None)]
    for child in trees(op):
        if child.data == "get_attr":
            steps.append(("attr", str(trees(child)[0].children[0])))
        else:
            steps.append(_index_step(child))
    return steps


def _index_step(op: Any) -> tuple[str, Any]:
    if op.data == "short_index":
        return ("index", int(str(op.children[-1])))
    return ("index_expr", trees(op)[0])


def apply_steps(value: Any, steps: list[Step]) -> Any:
    """Follow attribute, index and splat steps into a value."""
    for position, (kind, arg) in enumerate(steps):
        if isinstance(value, Unknown):
            return value
        if kind == "splat":
            rest = steps[position + 1 :]
            if value is None:
                return []
            items = value if isinstance(value, list) else [value]
            return [apply_steps(item, rest) for item in items]
        if kind == "attr":
            if not isinstance(value, dict):
                raise EvalError(f"cannot read attribute {arg!r} of a {_kind(value)}")
            if arg not in value:
                raise EvalError(f"object has no attribute {arg!r}")
            value = value[arg]
            continue
        if isinstance(arg, Unknown):
            return merge_unknown([arg, value])
        value = index(value, arg)
    return value


def index(collection: Any, key: Any) -> Any:
    if isinstance(collection, list):
        position = number(key)
        if not isinstance(position, int) or not 0 <= position < len(collection):
            raise EvalError(f"index {key!r} is out of range")
        return collection[position]
    if isinstance(collection, dict):
        name = to_string(key)
        if name not in collection:
            raise EvalError(f"key {name!r} does not exist")
        return collection[name]
    raise EvalError(f"cannot index a {_kind(collection)}")


def _kind(value: Any) -> str:
    return "null value" if value is None else type(value).__name__


def _iterate(collection: Any) -> list[tuple[Any, Any]]:
    if isinstance(collection, list):
        return list(enumerate(collection))
    if isinstance(collection, dict):
        return [(key, collection[key]) for key in sorted(collection)]
    raise EvalError(f"cannot iterate over a {_kind(collection)}")


# --- operators -----------------------------------------------------------------------------------------


def binary(operator: str, left: Any, right: Any) -> Any:
    if operator in ("&&", "||"):
        return _logic(operator, left, right)
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return merge_unknown([left, right])
    if operator == "==":
        return _equal_known(left, right)
    if operator == "!=":
        result = _equal_known(left, right)
        return result if isinstance(result, Unknown) else not result
    a, b = number(left), number(right)
    if operator == "+":
        return normal(a + b)
    if operator == "-":
        return normal(a - b)
    if operator == "*":
        return normal(a * b)
    if operator in ("/", "%"):
        if b == 0:
            raise EvalError("division by zero")
        return (
            normal(a / b)
            if operator == "/"
            else normal(math.fmod(a, b) if a % 1 or b % 1 else int(math.fmod(a, b)))
        )
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "<": lambda x, y: bool(x < y),
        ">": lambda x, y: bool(x > y),
        "<=": lambda x, y: bool(x <= y),
        ">=": lambda x, y: bool(x >= y),
    }
    return comparisons[operator](a, b)


def _equal_known(left: Any, right: Any) -> Any:
    if (left is None) != (right is None):
        return False  # a value with unknown parts is still not null (count = var.x == null ? 0 : 1)
    if has_unknown(left) or has_unknown(right):
        return merge_unknown([left, right])
    return equal(left, right)


def _logic(operator: str, left: Any, right: Any) -> Any:
    decisive = operator == "||"  # true decides ||, false decides &&
    for value in (left, right):
        if not isinstance(value, Unknown) and to_bool(value) is decisive:
            return decisive
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return merge_unknown([left, right])
    return not decisive


_DISPATCH: dict[str, Callable[[Evaluator, Any, Context, Env], Any]] = {
    "expr_term": Evaluator._term,
    "int_lit": Evaluator._int,
    "float_lit": Evaluator._float,
    "literal_value": Evaluator._literal,
    "tuple": Evaluator._tuple,
    "object": Evaluator._object,
    "identifier": Evaluator._identifier,
    "index_expr_term": Evaluator._traversal,
    "get_attr_expr_term": Evaluator._traversal,
    "attr_splat_expr_term": Evaluator._traversal,
    "full_splat_expr_term": Evaluator._traversal,
    "conditional": Evaluator._conditional,
    "unary_op": Evaluator._unary,
    "binary_op": Evaluator._binary,
    "string": Evaluator._string,
    "template_string": Evaluator._template_string,
    "heredoc_template": Evaluator._heredoc,
    "heredoc_template_trim": Evaluator._heredoc,
    "for_tuple_expr": Evaluator._for,
    "for_object_expr": Evaluator._for,
    "function_call": Evaluator._call,
}

__all__ = ["EvalError", "Evaluator", "apply_steps", "encode_json"]


def _known_parts(pieces: list[Any]) -> tuple[str | None, ...]:
    """A template's known text: adjacent literal pieces joined, None for each unknown piece."""
    parts: list[str | None] = []
    for piece in pieces:
        if isinstance(piece, Unknown):
            parts.append(None)
        elif parts and isinstance(parts[-1], str):
            parts[-1] += str(piece)
        else:
            parts.append(str(piece))
    return tuple(parts)
