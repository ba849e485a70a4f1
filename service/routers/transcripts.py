"""POST /v1/transcripts: chunk, embed, index in OpenSearch, link in Neo4j."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, status

from service.chunking import chunk_turns, transcript_id
from service.deps import ServicesDep, WriteAudit
from service.instrumented import embed
from service.models import TranscriptIn, TranscriptOut

router = APIRouter(prefix="/v1/transcripts", tags=["transcripts"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TranscriptOut)
def ingest(body: TranscriptIn, services: ServicesDep, audit: WriteAudit) -> TranscriptOut:
    """Idempotent: the same transcript of the same encounter keeps its id, chunks and graph nodes."""
    with audit("transcript.ingest", body.patient_ref):
        services.ensure_schema()
        tid = transcript_id(body)
        chunks = chunk_turns(body)
        vectors = embed(services, [chunk.text for chunk in chunks])
        # Graph first: an encounter of another patient is refused before anything is indexed.
        services.graph.link_transcript(
            body.patient_ref, body.encounter_ref, tid, len(chunks), datetime.now(UTC), body.recorded_at
        )
        services.search.index_chunks(body.patient_ref, body.encounter_ref, tid, chunks, vectors)
    services.telemetry.metrics.record("IngestCount", len(chunks))
    return TranscriptOut(
        transcript_id=tid,
        patient_ref=body.patient_ref,
        encounter_ref=body.encounter_ref,
        chunks=len(chunks),
        embedding=services.embedder.name,
    )
