"""Block bodies as plan-JSON values: attributes evaluated, nested and dynamic blocks as lists of dicts."""

from __future__ import annotations

from typing import Any

from compliance.loaders.hcl.eval import Evaluator
from compliance.loaders.hcl.parse import Block, JsonExpr, display
from compliance.loaders.hcl.protocols import Context, Env
from compliance.loaders.hcl.values import merge_unknown
from compliance.model import InputError, Unknown

META_ATTRS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})


def evaluate_body(
    evaluator: Evaluator, block: Block, context: Context, env: Env, prefix: str, meta: bool = False
) -> tuple[dict[str, Any], frozenset[str]]:
    """Attribute values of a block, nested blocks as lists of dicts; and the sensitive paths."""
    values: dict[str, Any] = {}
    sensitive: set[str] = set()
    for name, attr in block.attrs.items():
        if meta and name in META_ATTRS:
            continue
        evaluator.sensitive = False
        try:
            values[name] = evaluator.value_or_unknown(attr.expr, context, env)
        except RecursionError:
            where = f"{display(block.file)}:{attr.line}"
            raise InputError(f"{where}: expression nested too deeply to evaluate") from None
        if evaluator.sensitive:
            sensitive.add(prefix + name)
    for child in block.blocks:
        if meta and child.type in META_BLOCKS:
            continue
        if child.type == "dynamic" and child.labels:
            _dynamic(evaluator, child, context, env, prefix, values, sensitive)
            continue
        existing = values.setdefault(child.type, [])
        if isinstance(existing, list):
            inner, marked = evaluate_body(
                evaluator, child, context, env, f"{prefix}{child.type}.{len(existing)}."
            )
            existing.append(inner)
            sensitive.update(marked)
    evaluator.sensitive = False
    return values, frozenset(sensitive)


def _dynamic(
    evaluator: Evaluator,
    block: Block,
    context: Context,
    env: Env,
    prefix: str,
    values: dict[str, Any],
    sensitive: set[str],
) -> None:
    """Expand a dynamic block where its for_each is known (elements may hold unknowns)."""
    name = block.labels[0]
    iterator = name
    if "iterator" in block.attrs:
        iterator = (reference_names(block.attrs["iterator"].expr) or [name])[0]
    content = next((b for b in block.blocks if b.type == "content"), None)
    items = (
        evaluator.value_or_unknown(block.attrs["for_each"].expr, context, env)
        if ("for_each" in block.attrs)
        else Unknown(reason="dynamic block without for_each")
    )
    existing = values.get(name, [])
    if isinstance(items, Unknown) or content is None:
        values[name] = merge_unknown([items, existing], f"dynamic {name} for_each is unknown")
        return
    if isinstance(existing, Unknown):
        return
    if isinstance(items, dict):
        pairs = [(k, items[k]) for k in sorted(items)]
    elif isinstance(items, list):
        pairs = list(enumerate(items))
    else:
        values[name] = Unknown(reason=f"dynamic {name} for_each is not a collection")
        return
    for key, value in pairs:
        scope = {**env, iterator: {"key": key, "value": value}}
        inner, marked = evaluate_body(evaluator, content, context, scope, f"{prefix}{name}.{len(existing)}.")
        existing.append(inner)
        sensitive.update(marked)
    values[name] = existing


def reference_names(expr: Any) -> list[str] | None:
    """`aws.replica` as ["aws", "replica"] (a provider or iterator reference, not evaluated)."""
    if isinstance(expr, JsonExpr):
        return expr.value.split(".") if isinstance(expr.value, str) else None
    node = expr
    names: list[str] = []
    while True:
        trees = [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
        if node.data == "expr_term" and len(trees) == 1:
            node = trees[0]
        elif node.data == "identifier":
            return [str(node.children[0]), *names]
        elif node.data == "get_attr_expr_term":
            attr = next(c for c in trees[1].children if hasattr(c, "data"))
            names.insert(0, str(attr.children[0]))
            node = trees[0]
        elif node.data == "string":
            parts = [p.children[0] for p in node.children if getattr(p, "data", None) == "string_part"]
            return "".join(str(p) for p in parts).split(".")
        else:
            return None


def object_references(expr: Any) -> list[tuple[list[str] | None, list[str] | None]]:
    """The pairs of a `providers = { aws = aws.replica }` object, as reference names."""
    node = expr
    while node.data == "expr_term":
        node = next(c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment")
    if node.data != "object":
        return []
    pairs: list[tuple[list[str] | None, list[str] | None]] = []
    for elem in node.children:
        if getattr(elem, "data", None) != "object_elem":
            continue
        key, value = (c for c in elem.children if hasattr(c, "data"))
        pairs.append((reference_names(key.children[0]), reference_names(value)))
    return pairs
