"""Traces: OpenTelemetry with X-Ray-compatible ids, exported over OTLP gRPC to the collector sidecar.

PHI never leaves in a span. Every span passes `AllowList` on its way to the exporter, which keeps only the
attribute keys, event names, span names and resource keys listed here and drops everything else (request
paths, query strings, client addresses, exception messages, anything an instrumentation adds later). A
span name not on the list is exported as "redacted"; a status keeps its code, never its description.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Concatenate, Final, ParamSpec, Protocol, TypeVar

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import Link, SpanKind, Status

# Attribute keys a span may carry: route templates, methods, status codes, store and operation names,
# counts and model names. Nothing here can hold a patient reference, a transcript, a note or a query.
SPAN_ATTRIBUTES: Final = frozenset(
    {
        "http.method",
        "http.request.method",
        "http.route",
        "http.status_code",
        "http.response.status_code",
        "http.scheme",
        "url.scheme",
        "http.flavor",
        "network.protocol.version",
        "error.type",
        "db.system",
        "db.system.name",
        "db.operation.name",
        "notegen.chunks",
        "notegen.hits",
        "notegen.k",
        "notegen.texts",
        "notegen.deleted",
        "notegen.filtered",
        "notegen.embedding.model",
        "notegen.note.generator",
    }
)
RESOURCE_ATTRIBUTES: Final = frozenset(
    {
        "service.name",
        "service.version",
        "deployment.environment.name",
        "telemetry.sdk.name",
        "telemetry.sdk.language",
        "telemetry.sdk.version",
    }
)
EVENT_ATTRIBUTES: Final = {"exception": frozenset({"exception.type"})}
# Span names of the service's own spans (the HTTP server spans' names come from the app's routes).
SPAN_NAMES: Final = frozenset(
    {
        "embed",
        "generate_note",
        "neo4j ensure_schema",
        "neo4j link_transcript",
        "neo4j transcript_owner",
        "neo4j add_note",
        "neo4j patient_graph",
        "neo4j delete_patient",
        "neo4j count_patient",
        "opensearch ensure_index",
        "opensearch index_chunks",
        "opensearch search",
        "opensearch transcript_lines",
        "opensearch delete_patient",
        "opensearch count_patient",
    }
)
V = TypeVar("V")
HTTP_METHODS: Final = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HTTP")
REDACTED: Final = "redacted"


def allowed(attributes: Mapping[str, V] | None, keys: Iterable[str]) -> dict[str, V]:
    keep = frozenset(keys)
    return {key: value for key, value in (attributes or {}).items() if key in keep}


class AllowList(SpanProcessor):
    """Wraps the exporting processor: it sees only a copy of each span made of allow-listed parts."""

    def __init__(self, inner: SpanProcessor, routes: Iterable[tuple[str, str]] = ()) -> None:
        self.inner = inner
        self.names = set(SPAN_NAMES) | set(HTTP_METHODS)
        self.allow_routes(routes)

    def allow_routes(self, routes: Iterable[tuple[str, str]]) -> None:
        """(method, route template) pairs: the names the HTTP server spans take ("GET /v1/x/{id}")."""
        self.names.update(f"{method} {path}" for method, path in routes)

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self.inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self.inner.on_end(self.scrub(span))

    def scrub(self, span: ReadableSpan) -> ReadableSpan:
        events = [
            Event(event.name, allowed(event.attributes, EVENT_ATTRIBUTES[event.name]), event.timestamp)
            for event in span.events
            if event.name in EVENT_ATTRIBUTES
        ]
        return ReadableSpan(
            name=span.name if span.name in self.names else REDACTED,
            context=span.context,
            parent=span.parent,
            resource=Resource(allowed(span.resource.attributes, RESOURCE_ATTRIBUTES)),
            attributes=allowed(span.attributes, SPAN_ATTRIBUTES),
            events=events,
            links=[Link(link.context) for link in span.links],
            kind=span.kind,
            status=Status(span.status.status_code),
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self.inner.force_flush(timeout_millis)


class Traced(Protocol):
    tracer: trace.Tracer


S = TypeVar("S", bound=Traced)
P = ParamSpec("P")
R = TypeVar("R")


def traced(
    system: str, operation: str
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """A client span around a store method: the store and the operation, never the statement or values."""
    name = f"{system} {operation}"
    attributes = {"db.system.name": system, "db.operation.name": operation}

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def inner(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with self.tracer.start_as_current_span(name, kind=SpanKind.CLIENT, attributes=attributes):
                return method(self, *args, **kwargs)

        return inner

    return wrap


def note(key: str, value: int | bool | str) -> None:
    """Sets an allow-listed attribute on the current span (a count, a flag, a model name)."""
    trace.get_current_span().set_attribute(key, value)
