"""The app's telemetry, built from the settings: a tracer (or a no-op one) and the EMF metrics emitter.

Exports happen on background threads (the batch span processor, the metrics queue): a collector that is
down costs dropped telemetry, never a failed or slowed request.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.propagate import set_global_textmap
from opentelemetry.propagators.aws import AwsXRayPropagator
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.routing import Route

from service.metrics import Metrics, Sink, SocketSink, StreamSink
from service.settings import Settings
from service.tracing import AllowList

SERVICE_NAME = "notegen-api"


@dataclass
class Telemetry:
    tracer: trace.Tracer
    metrics: Metrics
    provider: TracerProvider | None = None
    allow_list: AllowList | None = None

    def instrument(self, app: FastAPI) -> None:
        """Server spans for every route but /livez (the health checks' noise); names are route templates."""
        if self.provider is None or self.allow_list is None:
            return
        self.allow_list.allow_routes(route_names(app))
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.provider,
            meter_provider=NoOpMeterProvider(),
            excluded_urls="/livez",
            exclude_spans=["receive", "send"],
        )

    def shutdown(self) -> None:
        self.metrics.close()
        if self.provider is not None:
            self.provider.shutdown()


def route_names(app: FastAPI) -> list[tuple[str, str]]:
    """(METHOD, template) of every route: the API's from its OpenAPI paths (routers are nested), the
    documentation's from the top level."""
    names = [(method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item]
    for route in app.routes:
        if isinstance(route, Route):
            names += [(method, route.path) for method in route.methods or ()]
    return names


def metric_sink(settings: Settings) -> Sink | None:
    if settings.metrics_sink == "off":
        return None
    if settings.metrics_sink == "collector":
        return SocketSink(settings.metrics_endpoint)
    return StreamSink()


def build(
    settings: Settings, span_exporter: SpanExporter | None = None, sink: Sink | None = None
) -> Telemetry:
    """From the settings; tests pass an in-memory span exporter and a captured metrics sink."""
    metrics = Metrics(settings.app_env, sink if sink is not None else metric_sink(settings))
    if not settings.traces_enabled:
        return Telemetry(trace.NoOpTracer(), metrics)
    exporter = span_exporter or OTLPSpanExporter(
        endpoint=settings.otel_exporter_otlp_endpoint, timeout=settings.trace_export_timeout_s
    )
    allow_list = AllowList(BatchSpanProcessor(exporter))
    resource = Resource(
        {
            "service.name": SERVICE_NAME,
            "service.version": "1.0.0",
            "deployment.environment.name": settings.app_env,
        }
    )
    provider = TracerProvider(resource=resource, id_generator=AwsXRayIdGenerator())
    provider.add_span_processor(allow_list)
    # The load balancer's X-Amzn-Trace-Id and W3C traceparent both continue a trace.
    set_global_textmap(CompositePropagator([TraceContextTextMapPropagator(), AwsXRayPropagator()]))
    return Telemetry(provider.get_tracer("notegen.api"), metrics, provider, allow_list)
