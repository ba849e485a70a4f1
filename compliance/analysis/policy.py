"""IAM policy documents, read from every form Terraform gives them in, as one normalised shape.

A policy reaches the model as a JSON string (heredoc, ``jsonencode``, ``file()``, plan JSON), as the
decoded structure with Unknown leaves (the HCL loader, when a leaf is a reference), or as a reference to a
``data "aws_iam_policy_document"`` whose statement blocks we read ourselves. Rules then see only
`Statement`s: lists of actions, resources, principals and conditions, each entry a string or an Unknown.
What cannot be read makes the document incomplete rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from compliance.analysis.values import blocks, decoded_json
from compliance.model import Model, Resource, Unknown

Entry = str | Unknown
DOCUMENT_TYPE = "aws_iam_policy_document"


@dataclass(frozen=True, slots=True)
class Principal:
    """One principal: kind is "*", "AWS", "Service", "Federated" or "CanonicalUser"."""

    kind: str
    id: Entry


@dataclass(frozen=True, slots=True)
class Condition:
    operator: str
    key: str
    values: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    index: int
    sid: str
    effect: Entry
    actions: tuple[Entry, ...] = ()
    not_actions: tuple[Entry, ...] = ()
    resources: tuple[Entry, ...] = ()
    not_resources: tuple[Entry, ...] = ()
    principals: tuple[Principal, ...] = ()
    not_principals: tuple[Principal, ...] = ()
    conditions: tuple[Condition, ...] = ()
    unknown_parts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index}"

    @property
    def allows(self) -> bool:
        return isinstance(self.effect, str) and self.effect.lower() == "allow"

    @property
    def effect_unknown(self) -> bool:
        return isinstance(self.effect, Unknown)


@dataclass(frozen=True, slots=True)
class Document:
    """The statements we could read; `complete` is False when part of the policy is unknown."""

    statements: tuple[Statement, ...]
    complete: bool = True
    problem: str = ""


UNREADABLE = Document((), complete=False, problem="policy is not known before apply")


# --- reading ---------------------------------------------------------------------------------------


def read_policy(value: Any, model: Model) -> Document | None:
    """The document a policy attribute holds; None when the attribute is unset or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, Unknown):
        return _from_reference(value, model)
    if isinstance(value, str):
        try:
            decoded = decoded_json(value)
        except ValueError:
            return Document((), complete=False, problem="policy is not valid JSON")
        return _from_json(decoded)
    if isinstance(value, Mapping):
        return _from_json(value)
    return Document((), complete=False, problem=f"policy is a {type(value).__name__}")


def _from_reference(value: Unknown, model: Model) -> Document:
    documents = [r for ref in value.refs for r in model.resolve(ref) if r.type == DOCUMENT_TYPE]
    if not documents:
        return UNREADABLE
    return _merge_all(read_document_source(doc, model, frozenset()) for doc in documents)


def read_document_source(resource: Resource, model: Model, seen: frozenset[str]) -> Document:
    """A ``data "aws_iam_policy_document"``: its rendered json when known, else its blocks."""
    if resource.address in seen:
        return Document((), complete=False, problem="policy documents refer to each other")
    rendered = resource.values.get("json")
    if isinstance(rendered, str) and rendered:
        return read_policy(rendered, model) or Document(())
    seen = seen | {resource.address}
    parts = [_layered(resource.values.get("source_policy_documents"), model, seen)]
    parts.append(_layered(resource.values.get("source_json"), model, seen))
    parts.append(_from_blocks(resource.values.get("statement")))
    parts.append(_layered(resource.values.get("override_policy_documents"), model, seen))
    parts.append(_layered(resource.values.get("override_json"), model, seen))
    return _override(parts)


def _layered(value: Any, model: Model, seen: frozenset[str]) -> Document:
    """source_/override_policy_documents: a list of JSON strings or references to other documents."""
    items = value if isinstance(value, list | tuple) else [value]
    docs: list[Document] = []
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, Unknown):
            found = [r for ref in item.refs for r in model.resolve(ref) if r.type == DOCUMENT_TYPE]
            docs.extend(read_document_source(r, model, seen) for r in found)
            if not found:
                docs.append(UNREADABLE)
        else:
            docs.append(read_policy(item, model) or Document(()))
    return _merge_all(docs)


def _override(parts: Sequence[Document]) -> Document:
    """Later layers replace earlier statements with the same Sid (Terraform's merge order)."""
    merged: list[Statement] = []
    for part in parts:
        for statement in part.statements:
            if statement.sid:
                merged = [s for s in merged if s.sid != statement.sid]
            merged.append(statement)
    return _renumber(merged, parts)


def _merge_all(docs: Iterable[Document]) -> Document:
    docs = list(docs)
    return _renumber([s for d in docs for s in d.statements], docs)


def _renumber(statements: list[Statement], parts: Sequence[Document]) -> Document:
    complete = all(p.complete for p in parts)
    problem = next((p.problem for p in parts if p.problem), "")
    renumbered = tuple(_with_index(s, i) for i, s in enumerate(statements))
    return Document(renumbered, complete, problem)


def _with_index(statement: Statement, index: int) -> Statement:
    fields = {name: getattr(statement, name) for name in Statement.__slots__}
    fields["index"] = index
    return Statement(**fields)


def _from_json(decoded: Any) -> Document:
    if isinstance(decoded, Unknown):
        return UNREADABLE
    if not isinstance(decoded, Mapping):
        return Document((), complete=False, problem="policy is not a JSON object")
    raw = decoded.get("Statement", [])
    if isinstance(raw, Unknown):
        return UNREADABLE
    items = [raw] if isinstance(raw, Mapping) else list(raw or [])
    statements = [_json_statement(i, item) for i, item in enumerate(items)]
    complete = all(isinstance(item, Mapping) for item in items)
    return Document(tuple(s for s in statements if s is not None), complete)


def _json_statement(index: int, item: Any) -> Statement | None:
    if not isinstance(item, Mapping):
        return None
    unknown = tuple(k for k, v in item.items() if isinstance(v, Unknown))
    return Statement(
        index=index,
        sid=_text(item.get("Sid")),
        effect=_entry(item.get("Effect", "Allow")),
        actions=entries(item.get("Action")),
        not_actions=entries(item.get("NotAction")),
        resources=entries(item.get("Resource")),
        not_resources=entries(item.get("NotResource")),
        principals=_json_principals(item.get("Principal")),
        not_principals=_json_principals(item.get("NotPrincipal")),
        conditions=_json_conditions(item.get("Condition")),
        unknown_parts=unknown,
    )


def _json_principals(value: Any) -> tuple[Principal, ...]:
    if value is None:
        return ()
    if isinstance(value, str | Unknown):
        return (Principal("*", _entry(value)),)
    if isinstance(value, Mapping):
        return tuple(Principal(str(kind), ident) for kind, ids in value.items() for ident in entries(ids))
    return ()


def _json_conditions(value: Any) -> tuple[Condition, ...]:
    if not isinstance(value, Mapping):
        return ()
    found: list[Condition] = []
    for operator, tests in value.items():
        if isinstance(tests, Mapping):
            found.extend(Condition(str(operator), str(key), entries(v)) for key, v in tests.items())
    return tuple(found)


def _from_blocks(value: Any) -> Document:
    """statement blocks of a data "aws_iam_policy_document" (HCL or plan values)."""
    if value is None:
        return Document(())
    if isinstance(value, Unknown):
        return UNREADABLE
    items = blocks({"statement": value}, "statement")
    if isinstance(items, Unknown):
        return UNREADABLE
    statements = [_block_statement(i, item) for i, item in enumerate(items)]
    return Document(tuple(statements))


def _block_statement(index: int, item: Mapping[str, Any]) -> Statement:
    unknown = tuple(k for k, v in item.items() if isinstance(v, Unknown))
    return Statement(
        index=index,
        sid=_text(item.get("sid")),
        effect=_entry(item.get("effect") or "Allow"),
        actions=entries(item.get("actions")),
        not_actions=entries(item.get("not_actions")),
        resources=entries(item.get("resources")),
        not_resources=entries(item.get("not_resources")),
        principals=_block_principals(item.get("principals")),
        not_principals=_block_principals(item.get("not_principals")),
        conditions=_block_conditions(item.get("condition")),
        unknown_parts=unknown,
    )


def _block_principals(value: Any) -> tuple[Principal, ...]:
    items = blocks({"p": value}, "p")
    if isinstance(items, Unknown):
        return (Principal("*", items),)
    return tuple(
        Principal(_text(item.get("type")) or "*", ident)
        for item in items
        for ident in entries(item.get("identifiers"))
    )


def _block_conditions(value: Any) -> tuple[Condition, ...]:
    items = blocks({"c": value}, "c")
    if isinstance(items, Unknown):
        return (Condition("", "", (items,)),)
    return tuple(
        Condition(_text(item.get("test")), _text(item.get("variable")), entries(item.get("values")))
        for item in items
    )


def entries(value: Any) -> tuple[Entry, ...]:
    """A policy list field as a tuple: a lone string becomes one entry, Unknown stays Unknown."""
    if value is None:
        return ()
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_entry(item) for item in value)
    return (_entry(value),)


def _entry(value: Any) -> Entry:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# --- where policies live ---------------------------------------------------------------------------

IDENTITY_POLICY_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
)

RESOURCE_POLICY_ATTRIBUTES: Mapping[str, str] = {
    "aws_s3_bucket": "policy",
    "aws_s3_bucket_policy": "policy",
    "aws_opensearch_domain": "access_policies",
    "aws_opensearch_domain_policy": "access_policies",
    "aws_elasticsearch_domain": "access_policies",
    "aws_elasticsearch_domain_policy": "access_policies",
    "aws_kms_key": "policy",
    "aws_secretsmanager_secret": "policy",
    "aws_secretsmanager_secret_policy": "policy",
    "aws_ecr_repository_policy": "policy",
    "aws_sns_topic": "policy",
    "aws_sns_topic_policy": "policy",
    "aws_sqs_queue": "policy",
    "aws_sqs_queue_policy": "policy",
}


def identity_policies(resource: Resource, model: Model) -> list[tuple[str, Document]]:
    """(label, document) for each identity policy a resource carries: the policy attribute, or each
    inline_policy block of a role. Empty when the resource carries none."""
    found: list[tuple[str, Document]] = []
    if resource.type == "aws_iam_role":
        inline = blocks(resource.values, "inline_policy")
        if isinstance(inline, Unknown):
            return [("inline_policy", UNREADABLE)]
        for i, block in enumerate(inline):
            doc = read_policy(block.get("policy"), model)
            if doc is not None:
                found.append((f"inline_policy {block.get('name') or i!s}", doc))
        return found
    doc = read_policy(resource.values.get("policy"), model)
    return [("policy", doc)] if doc is not None else []


def resource_policy(resource: Resource, model: Model) -> Document | None:
    """The resource policy a resource carries, None when it has none."""
    attribute = RESOURCE_POLICY_ATTRIBUTES.get(resource.type)
    return read_policy(resource.values.get(attribute), model) if attribute else None


# --- matching --------------------------------------------------------------------------------------


def action_matches(pattern: str, action: str) -> bool:
    """IAM action wildcard match, case-insensitive (``s3:Get*`` matches ``s3:GetObject``)."""
    return fnmatchcase(action.lower(), pattern.lower())


def action_covers(pattern: str, target: str) -> bool:
    """Whether every action `target` (itself possibly a wildcard) names is named by `pattern`."""
    pattern, target = pattern.lower(), target.lower()
    if fnmatchcase(target, pattern):
        return True
    return pattern.endswith("*") and "?" not in pattern and target.startswith(pattern[:-1])


def grants(statement: Statement, action: str) -> bool | None:
    """Whether an Allow statement's actions include `action`; None when an action is unknown."""
    if statement.not_actions:
        listed = any(isinstance(a, str) and action_matches(a, action) for a in statement.not_actions)
        return None if _has_unknown(statement.not_actions) and not listed else not listed
    if any(isinstance(a, str) and action_matches(a, action) for a in statement.actions):
        return True
    return None if _has_unknown(statement.actions) else False


def _has_unknown(items: Iterable[object]) -> bool:
    return any(isinstance(item, Unknown) for item in items)


SERVICE_WIDE = re.compile(r"^(\*|[a-z0-9*-]+:\*+)$", re.IGNORECASE)


def is_service_wide(action: str) -> bool:
    """``*`` or ``service:*``: every action of a service (or of all services)."""
    return bool(SERVICE_WIDE.match(action.strip()))


def is_wildcard(entry: Entry) -> bool:
    return isinstance(entry, str) and "*" in entry


def allow_statements(document: Document) -> Iterator[Statement]:
    return (s for s in document.statements if s.allows)


Policies = Sequence[tuple[str, Document]]


def unreadable(policies: Policies) -> list[str]:
    """What could not be read: incomplete documents and statements whose Effect is unknown."""
    doubts = [
        f"{label}: {d.problem or 'part of the policy is unknown'}" for label, d in policies if not d.complete
    ]
    doubts.extend(
        f"{label} {s.label}: Effect is unknown"
        for label, d in policies
        for s in d.statements
        if s.effect_unknown
    )
    return doubts


def allows(policies: Policies) -> Iterator[tuple[str, Statement]]:
    """(where, statement) for each Allow statement, `where` naming the policy and the statement."""
    return ((f"{label} {s.label}", s) for label, d in policies for s in allow_statements(d))


def granting(policies: Policies, action: str, doubts: list[str]) -> Iterator[tuple[str, Statement]]:
    """(where, statement) for each Allow statement granting `action`; a statement whose Action is unknown
    is added to `doubts` instead."""
    for where, statement in allows(policies):
        passes = grants(statement, action)
        if passes is None:
            doubts.append(f"{where}: an Action is unknown, it may grant {action}")
        elif passes:
            yield where, statement
