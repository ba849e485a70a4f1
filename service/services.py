"""What the routes use, built once per process by the lifespan from the settings and closed on shutdown."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from service import clients
from service.audit import Auditor
from service.auth import TokenVerifier
from service.embeddings import AzureOpenAIEmbedder, Embedder, MiniLMEmbedder
from service.notes import AzureOpenAIGenerator, ExtractiveGenerator, NoteGenerator
from service.readiness import Probe, Readiness
from service.settings import Settings
from service.stores.graph import GraphStore
from service.stores.search import SearchStore
from service.telemetry import Telemetry

log = logging.getLogger("notegen.service")


@dataclass
class Services:
    settings: Settings
    graph: GraphStore
    search: SearchStore
    embedder: Embedder
    generator: NoteGenerator
    verifier: TokenVerifier
    auditor: Auditor
    readiness: Readiness
    telemetry: Telemetry
    schema_lock: threading.Lock = field(default_factory=threading.Lock)
    schema_ready: bool = False

    def ensure_schema(self) -> None:
        """Constraints and the k-NN index, once; retried on the next write if a store was down."""
        with self.schema_lock:
            if not self.schema_ready:
                self.graph.ensure_schema()
                self.search.ensure_index(self.embedder.dimension)
                self.schema_ready = True


@contextmanager
def build(settings: Settings, telemetry: Telemetry) -> Iterator[Services]:
    with ExitStack() as stack:
        driver = clients.neo4j_driver(settings, stack)
        graph = GraphStore(driver, tracer=telemetry.tracer)
        search = SearchStore(
            clients.opensearch_client(settings, stack),
            settings.opensearch_index,
            settings.store_timeout_s,
            telemetry.tracer,
        )
        azure = None
        if "azure-openai" in (settings.embedding_provider, settings.note_generator):
            azure = clients.azure_openai(settings, stack)
        embedder: Embedder = (
            AzureOpenAIEmbedder(
                azure, settings.azure_openai_embedding_deployment, settings.azure_openai_embedding_dimensions
            )
            if azure and settings.embedding_provider == "azure-openai"
            else MiniLMEmbedder()
        )
        generator: NoteGenerator = (
            AzureOpenAIGenerator(azure, settings.azure_openai_chat_deployment)
            if azure and settings.note_generator == "azure-openai"
            else ExtractiveGenerator()
        )
        timeout = settings.probe_timeout_s
        readiness = Readiness(
            [Probe("neo4j", graph.ping), Probe("opensearch", lambda: search.ping(timeout))],
            timeout,
            settings.ready_cache_s,
        )
        stack.callback(readiness.close)
        services = Services(
            settings=settings,
            graph=graph,
            search=search,
            embedder=embedder,
            generator=generator,
            verifier=TokenVerifier.from_json(settings.api_clients.get_secret_value()),
            auditor=Auditor(settings.audit_hmac_key.get_secret_value().encode()),
            readiness=readiness,
            telemetry=telemetry,
        )
        try:
            services.ensure_schema()
        except Exception as error:  # a store still starting: the first write retries
            log.warning("schema not ready at startup", extra={"error": type(error).__name__})
        yield services
