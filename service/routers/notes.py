"""POST /v1/transcripts/{transcript_id}/notes: a SOAP note from the transcript, stored in the graph."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from service import instrumented
from service.chunking import NAMESPACE
from service.deps import ServicesDep, WriteAudit
from service.models import NoteOut

router = APIRouter(prefix="/v1/transcripts", tags=["notes"])
TranscriptId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]


@router.post("/{transcript_id}/notes", status_code=status.HTTP_201_CREATED, response_model=NoteOut)
def generate(transcript_id: TranscriptId, services: ServicesDep, audit: WriteAudit) -> NoteOut:
    timed = services.telemetry.metrics.timed("NoteGenerationLatency")
    owner = services.graph.transcript_owner(transcript_id)
    with audit("note.generate", owner[0] if owner else None), timed:
        lines = services.search.transcript_lines(transcript_id) if owner else []
        if not lines:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such transcript")
        soap = instrumented.generate(services, lines)
        note_id = str(uuid.uuid5(NAMESPACE, f"{transcript_id}|{services.generator.name}"))
        created = datetime.now(UTC)
        services.graph.add_note(transcript_id, note_id, services.generator.name, created, soap)
    return NoteOut(
        note_id=note_id,
        transcript_id=transcript_id,
        generator=services.generator.name,
        created_at=created,
        soap=soap,
    )
