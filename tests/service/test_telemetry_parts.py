"""The telemetry's parts without the stores: EMF records and their sinks (a real TCP and UDP listener on
loopback), the never-blocking queue, the span allow-list, and the settings that configure them."""

from __future__ import annotations

import io
import json
import socket
import threading
import time

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import SecretStr, ValidationError

from service.metrics import Metrics, SocketSink, StreamSink, emf_record
from service.settings import Settings
from service.tracing import AllowList
from tests.service.emf import validate


def test_a_record_is_valid_emf_and_names_only_the_contract() -> None:
    record = emf_record("SearchLatency", 12.5, "prod", 1_700_000_000_000)
    validate(record)
    assert set(record) == {"_aws", "Service", "Env", "SearchLatency"}
    assert record["_aws"]["CloudWatchMetrics"] == [
        {
            "Namespace": "NoteGen/API",
            "Dimensions": [["Service", "Env"]],
            "Metrics": [{"Name": "SearchLatency", "Unit": "Milliseconds"}],
        }
    ]


def test_the_validator_refuses_what_cloudwatch_would_not_extract() -> None:
    record = emf_record("IngestCount", 3, "prod", 1)
    del record["Env"]  # a dimension that is no member of the root
    with pytest.raises(AssertionError, match="dimension Env"):
        validate(record)
    bad_unit = emf_record("IngestCount", 3, "prod", 1)
    bad_unit["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"] = "Chunks"
    with pytest.raises(Exception, match="Chunks"):
        validate(bad_unit)


def test_the_stream_sink_writes_one_json_line_per_record_and_timed_skips_failures() -> None:
    stream = io.StringIO()
    metrics = Metrics("staging", StreamSink(stream))
    metrics.record("IngestCount", 4)
    with metrics.timed("NoteGenerationLatency"):
        time.sleep(0.01)
    with pytest.raises(RuntimeError), metrics.timed("SearchLatency"):
        raise RuntimeError("a failed search is no latency")
    metrics.close()
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(r["Env"], r.get("IngestCount"), r.get("NoteGenerationLatency", 0) >= 10) for r in records] == [
        ("staging", 4, False),
        ("staging", None, True),
    ]


@pytest.mark.parametrize("kind", ["tcp", "udp"])
def test_the_collector_sink_sends_newline_delimited_records(kind: str) -> None:
    sock_type = socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, sock_type) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        port = server.getsockname()[1]
        metrics = Metrics("prod", SocketSink(f"{kind}://127.0.0.1:{port}"))
        if kind == "tcp":
            server.listen(1)
        metrics.record("IngestCount", 2)
        metrics.record("SearchLatency", 8.0)
        received = b""
        if kind == "tcp":
            connection, _ = server.accept()
            with connection:
                connection.settimeout(5)
                while received.count(b"\n") < 2:
                    received += connection.recv(4096)
        else:
            received = server.recv(4096) + server.recv(4096)
        metrics.close()
    lines = [json.loads(line) for line in received.decode().splitlines()]
    assert [line.get("IngestCount", line.get("SearchLatency")) for line in lines] == [2, 8.0]
    assert metrics.dropped == 0


def test_a_stuck_sink_never_blocks_the_caller_and_overflow_is_counted() -> None:
    release = threading.Event()

    class Stuck:
        def write(self, line: str) -> None:
            release.wait(10)

        def close(self) -> None:
            pass

    metrics = Metrics("prod", Stuck(), capacity=3)
    started = time.perf_counter()
    for _ in range(20):
        metrics.record("IngestCount", 1)
    assert time.perf_counter() - started < 0.5
    assert metrics.dropped >= 16  # one taken by the stuck writer, three queued, the rest dropped
    release.set()
    metrics.close()


def test_the_allow_list_keeps_only_listed_keys_names_and_exception_types() -> None:
    exporter = InMemorySpanExporter()
    allow_list = AllowList(SimpleSpanProcessor(exporter), [("GET", "/v1/patients/{patient_ref}/graph")])
    provider = TracerProvider(resource=Resource({"service.name": "notegen-api", "host.name": "MRN-SECRET"}))
    provider.add_span_processor(allow_list)
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span(
        "GET /v1/patients/{patient_ref}/graph",
        attributes={"http.route": "/v1/patients/{patient_ref}/graph", "url.path": "/v1/patients/MRN-SECRET"},
    ):
        pass
    with pytest.raises(ValueError), tracer.start_as_current_span("neo4j link_transcript") as span:
        span.add_event("note text", {"text": "MRN-SECRET"})
        raise ValueError("patient MRN-SECRET")
    with tracer.start_as_current_span("GET /v1/patients/MRN-SECRET/graph"):
        pass
    route, failed, raw = exporter.get_finished_spans()
    assert dict(route.attributes or {}) == {"http.route": "/v1/patients/{patient_ref}/graph"}
    assert dict(route.resource.attributes) == {"service.name": "notegen-api"}
    assert failed.status.description is None and not failed.status.is_ok
    assert [(e.name, dict(e.attributes or {})) for e in failed.events] == [
        ("exception", {"exception.type": "ValueError"})
    ]
    assert raw.name == "redacted"
    provider.shutdown()


def test_the_settings_refuse_a_bad_metrics_endpoint_and_a_remote_collector_outside_development() -> None:
    with pytest.raises(ValidationError, match="tcp://host:port"):
        Settings(metrics_endpoint="http://127.0.0.1:25888")
    production = {
        "app_env": "prod",
        "neo4j_uri": "bolt+s://neo4j.internal:7687",
        "neo4j_password": SecretStr("a-long-random-password"),
        "opensearch_endpoint": "https://search.internal",
        "opensearch_auth_method": "sigv4",
        "audit_hmac_key": SecretStr("k" * 32),
    }
    assert Settings(**production).otel_exporter_otlp_endpoint == "http://127.0.0.1:4317"  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="otel_exporter_otlp_endpoint"):
        Settings(**production, otel_exporter_otlp_endpoint="http://collector.example:4317")  # type: ignore[arg-type]
    assert not Settings(
        **production,  # type: ignore[arg-type]
        traces_enabled=False,
        otel_exporter_otlp_endpoint="http://collector.example:4317",
    ).traces_enabled
