"""Hops inside the VPC: what the containers and clients of a task definition, a Lambda or an SSM parameter
say about encryption in transit (container environments, data-store endpoint URLs)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis.partial import HOLE, text_with_holes
from compliance.analysis.values import decoded_json
from compliance.analysis.workloads import NEO4J_PORTS
from compliance.model import Unknown

TLS_SCHEMES = ("bolt+s://", "bolt+ssc://", "neo4j+s://", "neo4j+ssc://", "https://")
PLAINTEXT_DATASTORE_SCHEMES = ("bolt://", "neo4j://")
SCHEMES = (*TLS_SCHEMES, *PLAINTEXT_DATASTORE_SCHEMES, "http://")
# An http:// URL is a data store's when its name or its address says so (Neo4j, OpenSearch, a database).
DATASTORE_HINT = re.compile(
    r"neo4j|bolt|graph|opensearch|elastic|search|database|(^|_)db(_|$)|:7474|:7687|:9200"
)


ADDRESS_HINT = re.compile(r"ur[il]|endpoint|host|address|dsn")


def containers(value: Any) -> list[Mapping[str, Any]] | Unknown | None:
    """Container definitions from a JSON string (plan, heredoc) or the decoded list (HCL jsonencode);
    None when they are not a list of containers."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        try:
            value = decoded_json(value)
        except ValueError:
            return None
    if isinstance(value, Mapping):
        value = [value]
    return [c for c in value if isinstance(c, Mapping)] if isinstance(value, list) else None


def label(container: Mapping[str, Any]) -> str:
    name = container.get("name")
    return name if isinstance(name, str) else "a container"


def environment(container: Mapping[str, Any]) -> Iterator[tuple[Any, Any]]:
    """(name, value) of each environment entry (an Unknown list gives one (Unknown, Unknown))."""
    entries = container.get("environment") or []
    if isinstance(entries, Unknown):
        yield entries, entries
        return
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Unknown):
            yield entry, entry
        elif isinstance(entry, Mapping):
            yield entry.get("name"), entry.get("value")


def names_datastore(name: Any) -> bool:
    """A setting's name that says it is a data store's address (NEO4J_URI, /app/opensearch_endpoint; not
    NEO4J_CA_SECRET_ARN)."""
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    return bool(DATASTORE_HINT.search(lowered)) and bool(ADDRESS_HINT.search(lowered))


def shown(value: Any) -> str:
    """An endpoint as a message shows it: its known text, '...' for unknown parts, no query string."""
    known = text_with_holes(value)
    text = known.replace(HOLE, "...") if known is not None else str(value)
    return text.split("?")[0]


def endpoint_status(name: Any, value: Any) -> str | None:
    """'tls', 'plaintext' or 'unknown' for a client setting that points at a data store; None otherwise."""
    hinted = names_datastore(name)
    known = text_with_holes(value)
    if known is not None and known.startswith(SCHEMES) and not isinstance(name, Unknown):
        return endpoint_status(name, known)  # the scheme (and host) are known, the rest is not
    if isinstance(value, Unknown) or isinstance(name, Unknown):
        return "unknown" if hinted or isinstance(name, Unknown) else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text.startswith(PLAINTEXT_DATASTORE_SCHEMES):
        return "plaintext"
    if text.startswith("http://") and (
        hinted or DATASTORE_HINT.search(text) or DATASTORE_HINT.search(str(name).lower())
    ):
        return "plaintext"
    if text.startswith(TLS_SCHEMES) and (hinted or DATASTORE_HINT.search(text) or "+s" in text[:12]):
        return "tls"
    return None


def is_neo4j(container: Mapping[str, Any]) -> bool:
    """A container running Neo4j: the neo4j image, or (an image known only after apply, e.g. an ECR
    mirror) Neo4j's Bolt or HTTP port mapped, or a name saying so."""
    image = container.get("image")
    if isinstance(image, str):
        return image.rsplit("/", 1)[-1].startswith("neo4j")
    mappings = container.get("portMappings")
    ports = (
        {m.get("containerPort") for m in mappings if isinstance(m, Mapping)}
        if isinstance(mappings, list)
        else set()
    )
    name = container.get("name")
    return bool(ports & set(NEO4J_PORTS)) or (isinstance(name, str) and "neo4j" in name.lower())
