"""Partially known strings: judged on their known text when no value of the unknown part can change
the verdict, and the message says so.

The HCL loader keeps the known text of a template built around unknown values (`Unknown.parts`):
``arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess`` is known but for its
partition. Rules ask here for the fields that are known, never guess the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from compliance.model import Unknown

HOLE = "\x00"
ARN_FIELDS = ("partition", "service", "region", "account", "resource")
# ARN fields that never contain a colon: a hole inside one of them stays inside it (a value with a colon
# there is no valid ARN, and AWS refuses it at apply, so no deployment differs from the verdict).
BOUNDED = frozenset({"partition", "service", "region", "account"})
PREFIX = re.compile(r"/(\d{1,3})$")


@dataclass(frozen=True, slots=True)
class PartialArn:
    """An ARN's fields: their text, or None where an unknown part falls."""

    partition: str | None
    service: str | None
    region: str | None
    account: str | None
    resource: str | None

    def unknown_fields(self) -> list[str]:
        return [name for name in ARN_FIELDS if getattr(self, name) is None]


def text_with_holes(value: Any) -> str | None:
    """The known text of a partially known string, HOLE for each unknown part; None when nothing is known."""
    if not isinstance(value, Unknown) or not value.parts:
        return None
    return "".join(HOLE if part is None else part for part in value.parts)


def partial_arn(value: Any) -> PartialArn | None:
    """The fields of an ARN known in part: None when the value is not one, or when an unknown part is
    not confined to one colon-free field (it could then shift every field after it)."""
    text = text_with_holes(value)
    if text is None or not text.startswith("arn:"):
        return None
    fields = text.split(":", 5)
    if len(fields) != 6:
        return None
    found: dict[str, str | None] = {}
    for name, field in zip(ARN_FIELDS, fields[1:], strict=True):
        if HOLE in field and name not in BOUNDED:
            return None
        found[name] = None if HOLE in field else field
    return PartialArn(**found)


def cidr_prefix(value: Any) -> tuple[int, int | None] | None:
    """The known prefix length of a CIDR whose address is unknown (``${local.nat_ip}/32``) and its IP
    version when the known text tells it (4 for a dot, 6 for a colon, None otherwise)."""
    text = text_with_holes(value)
    if text is None:
        return None
    match = PREFIX.search(text)
    if match is None or HOLE in text[match.start() :]:
        return None
    version = 6 if ":" in text else 4 if "." in text else None
    return int(match.group(1)), version
