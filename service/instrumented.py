"""Embedding and note generation inside spans: the model's name and how many texts, never the texts."""

from __future__ import annotations

from service.models import Soap
from service.services import Services
from service.tracing import note


def embed(services: Services, texts: list[str]) -> list[list[float]]:
    with services.telemetry.tracer.start_as_current_span("embed"):
        note("notegen.embedding.model", services.embedder.name)
        note("notegen.texts", len(texts))
        return services.embedder.embed(texts)


def generate(services: Services, lines: list[str]) -> Soap:
    with services.telemetry.tracer.start_as_current_span("generate_note"):
        note("notegen.note.generator", services.generator.name)
        return services.generator.generate(lines)
