"""Traces and metrics of the real app against the real Neo4j and OpenSearch servers: a patient's data
ingested, searched, turned into a note, read as a graph and deleted, with an in-memory span exporter and a
captured EMF stream (the stdout sink's own code, writing to a buffer). Every span, event, resource
attribute and metric record is then searched for the marker strings the requests carried: none may appear."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from emulator.neo4j import Neo4jServer
from emulator.opensearch import OpenSearchServer
from service import telemetry
from service.main import create_app
from service.metrics import StreamSink
from tests.service.emf import validate
from tests.service.stores import store_settings
from tests.service.support import bearer, closed_port

pytestmark = pytest.mark.integration

PATIENT = "MRN-ZQX7731"
ENCOUNTER = "ENC-QWV5520"
OTHER = "MRN-PLW0093"
WORDS = ("quetzalburn", "xylophonic")
QUERY = "zebrafinch heartburn"
MARKERS = (PATIENT, ENCOUNTER, OTHER, *WORDS, "zebrafinch")
XRAY_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def transcript(patient: str, encounter: str) -> dict[str, Any]:
    return {
        "patient_ref": patient,
        "encounter_ref": encounter,
        "turns": [
            {"speaker": "clinician", "text": "What brings you in today?"},
            {"speaker": "patient", "text": f"A {WORDS[0]} pain in my chest after meals for three weeks."},
            {
                "speaker": "clinician",
                "text": f"Your {WORDS[1]} exam is soft and blood pressure is 128 over 82.",
            },
            {
                "speaker": "clinician",
                "text": "We will start omeprazole 20 mg daily and follow up in four weeks.",
            },
        ],
    }


@dataclass
class Run:
    spans: list[ReadableSpan]
    records: list[dict[str, Any]]
    raw_metrics: str
    status: dict[str, int]
    chunks: int
    started: float


@pytest.fixture(scope="module")
def run(neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer) -> Iterator[Run]:
    settings = store_settings(neo4j_server, opensearch_server)
    exporter, stream = InMemorySpanExporter(), io.StringIO()
    observed = telemetry.build(settings, span_exporter=exporter, sink=StreamSink(stream))
    status: dict[str, int] = {}
    started = time.time()
    with TestClient(create_app(settings, observe=observed)) as client:
        ingested = client.post(
            "/v1/transcripts", json=transcript(PATIENT, ENCOUNTER), headers=bearer("scribe")
        )
        status["ingest"] = ingested.status_code
        # The same encounter for another patient: refused inside the Neo4j span (an exception event).
        conflict = client.post("/v1/transcripts", json=transcript(OTHER, ENCOUNTER), headers=bearer("scribe"))
        status["conflict"] = conflict.status_code
        found = client.post(
            "/v1/search", json={"query": QUERY, "k": 3, "patient_ref": PATIENT}, headers=bearer("viewer")
        )
        status["search"] = found.status_code
        tid = ingested.json()["transcript_id"]
        status["note"] = client.post(f"/v1/transcripts/{tid}/notes", headers=bearer("scribe")).status_code
        graph_headers = {**bearer("viewer"), "X-Amzn-Trace-Id": XRAY_HEADER}
        status["graph"] = client.get(f"/v1/patients/{PATIENT}/graph", headers=graph_headers).status_code
        status["missing"] = client.get(f"/v1/patients/{OTHER}/graph", headers=bearer("viewer")).status_code
        status["unmatched"] = client.get(f"/v1/nowhere/{PATIENT}?q={WORDS[0]}").status_code
        status["delete"] = client.delete(f"/v1/patients/{PATIENT}", headers=bearer("dpo")).status_code
        status["livez"] = client.get("/livez").status_code
    # Leaving the client ran the lifespan's shutdown: both exports are flushed.
    raw = stream.getvalue()
    records = [json.loads(line) for line in raw.splitlines()]
    yield Run(list(exporter.get_finished_spans()), records, raw, status, ingested.json()["chunks"], started)


def spans_named(run: Run, name: str) -> list[ReadableSpan]:
    return [span for span in run.spans if span.name == name]


def test_the_requests_behave_as_without_telemetry(run: Run) -> None:
    assert run.status == {
        "ingest": 201,
        "conflict": 409,
        "search": 200,
        "note": 201,
        "graph": 200,
        "missing": 404,
        "unmatched": 404,
        "delete": 200,
        "livez": 200,
    }


def test_server_spans_are_named_by_route_template_and_hold_the_store_and_model_spans(run: Run) -> None:
    names = {span.name for span in run.spans}
    assert {
        "POST /v1/transcripts",
        "POST /v1/search",
        "POST /v1/transcripts/{transcript_id}/notes",
        "GET /v1/patients/{patient_ref}/graph",
        "DELETE /v1/patients/{patient_ref}",
        "GET",
        "embed",
        "generate_note",
        "neo4j link_transcript",
        "opensearch index_chunks",
        "opensearch search",
        "opensearch transcript_lines",
        "neo4j add_note",
        "neo4j patient_graph",
        "opensearch delete_patient",
        "neo4j delete_patient",
    } <= names
    assert "redacted" not in names and not any("livez" in name for name in names)
    [search] = spans_named(run, "POST /v1/search")
    assert search.attributes and search.attributes["http.route"] == "/v1/search"
    children = [span for span in run.spans if span.parent and span.parent.span_id == search.context.span_id]
    assert {span.name for span in children} >= {"embed", "opensearch search"}
    [knn] = spans_named(run, "opensearch search")
    attributes = dict(knn.attributes or {})
    hits = attributes.pop("notegen.hits")
    assert attributes == {
        "db.system.name": "opensearch",
        "db.operation.name": "search",
        "notegen.k": 3,
        "notegen.filtered": True,
    }
    assert isinstance(hits, int) and 0 < hits <= 3
    [index] = spans_named(run, "opensearch index_chunks")
    assert index.attributes and index.attributes["notegen.chunks"] == run.chunks


def test_trace_ids_are_xray_ids_and_the_load_balancers_trace_is_continued(run: Run) -> None:
    [graph] = [
        span
        for span in spans_named(run, "GET /v1/patients/{patient_ref}/graph")
        if span.attributes and span.attributes["http.status_code"] == 200
    ]
    assert graph.context.trace_id == 0x5759E988BD862E3FE1BE46A994272793
    assert graph.parent is not None and graph.parent.span_id == 0x53995C3F42CD8AD8
    [ingest] = spans_named(run, "POST /v1/transcripts")[:1]
    epoch = ingest.context.trace_id >> 96  # X-Ray: the first 32 bits are the start time in seconds
    assert run.started - 60 <= epoch <= time.time() + 60


def test_a_failing_store_call_keeps_only_the_exception_type(run: Run) -> None:
    failed = [span for span in spans_named(run, "neo4j link_transcript") if span.events]
    assert failed, "the conflicting ingest should have recorded an exception"
    for span in failed:
        assert not span.status.is_ok and span.status.description is None
        assert [dict(event.attributes or {}) for event in span.events] == [
            {"exception.type": "service.stores.graph.EncounterConflictError"}
        ]


def test_metrics_are_valid_emf_with_the_contracts_names_and_sane_values(run: Run) -> None:
    for record in run.records:
        validate(record)
        directive = record["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == "NoteGen/API" and directive["Dimensions"] == [["Service", "Env"]]
        assert (record["Service"], record["Env"]) == ("api", "development")
        assert run.started * 1000 - 1000 <= record["_aws"]["Timestamp"] <= time.time() * 1000
    by_name: dict[str, list[tuple[float, str]]] = {}
    for record in run.records:
        [metric] = record["_aws"]["CloudWatchMetrics"][0]["Metrics"]
        by_name.setdefault(metric["Name"], []).append((record[metric["Name"]], metric["Unit"]))
    # One ingest succeeded (the conflicting one records nothing): IngestCount is its number of chunks.
    assert by_name["IngestCount"] == [(run.chunks, "Count")] and run.chunks >= 1
    [(search_ms, search_unit)] = by_name["SearchLatency"]
    [(note_ms, note_unit)] = by_name["NoteGenerationLatency"]
    assert search_unit == note_unit == "Milliseconds"
    assert 0 < search_ms < 60_000 and 0 < note_ms < 60_000
    assert set(by_name) == {"IngestCount", "SearchLatency", "NoteGenerationLatency"}


def exported_text(span: ReadableSpan) -> list[str]:
    """Everything of a span that leaves the process, as strings."""
    parts = [span.name, str(span.status.description or "")]
    for attributes in (span.attributes, span.resource.attributes, *(e.attributes for e in span.events)):
        parts += [f"{key}={value!r}" for key, value in (attributes or {}).items()]
    parts += [event.name for event in span.events]
    parts += [f"{key}={value!r}" for link in span.links for key, value in (link.attributes or {}).items()]
    return parts


def test_no_marker_appears_in_any_span_or_metric(run: Run) -> None:
    assert run.spans and run.records
    leaks = [
        (span.name, text)
        for span in run.spans
        for text in exported_text(span)
        for marker in MARKERS
        if marker.lower() in text.lower()
    ]
    assert leaks == []
    assert not [marker for marker in MARKERS if marker.lower() in run.raw_metrics.lower()]
    keys = {key for span in run.spans for key in (span.attributes or {})}
    assert not keys & {"url.path", "url.query", "http.target", "http.url", "client.address", "db.statement"}


def test_a_collector_that_is_down_fails_no_request(
    neo4j_server: Neo4jServer, opensearch_server: OpenSearchServer
) -> None:
    """The real OTLP exporter and the collector metrics sink, both pointed at closed ports."""
    settings = store_settings(
        neo4j_server,
        opensearch_server,
        otel_exporter_otlp_endpoint=f"http://127.0.0.1:{closed_port()}",
        trace_export_timeout_s=1.0,
        metrics_sink="collector",
        metrics_endpoint=f"tcp://127.0.0.1:{closed_port()}",
    )
    observed = telemetry.build(settings)
    with TestClient(create_app(settings, observe=observed)) as client:
        ingested = client.post(
            "/v1/transcripts", json=transcript(OTHER, "ENC-DOWN-1"), headers=bearer("scribe")
        )
        assert ingested.status_code == 201, ingested.text
        started = time.perf_counter()
        found = client.post("/v1/search", json={"query": "chest pain", "k": 2}, headers=bearer("viewer"))
        assert found.status_code == 200 and found.json()["hits"]
        assert time.perf_counter() - started < 10
        client.delete(f"/v1/patients/{OTHER}", headers=bearer("dpo")).raise_for_status()
    assert observed.metrics.dropped == 2  # IngestCount and SearchLatency, each refused by the closed port
