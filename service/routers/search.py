"""POST /v1/search: k nearest chunks to a query, optionally within one patient or encounter."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import ReadAudit, ServicesDep
from service.instrumented import embed
from service.models import SearchIn, SearchOut

router = APIRouter(prefix="/v1/search", tags=["search"])


@router.post("", response_model=SearchOut)
def search(body: SearchIn, services: ServicesDep, audit: ReadAudit) -> SearchOut:
    """A POST so the query text (which may be PHI) never lands in a URL or an access log."""
    with audit("transcript.search", body.patient_ref), services.telemetry.metrics.timed("SearchLatency"):
        services.ensure_schema()
        [vector] = embed(services, [body.query])
        hits = services.search.search(vector, body.k, body.patient_ref, body.encounter_ref)
    return SearchOut(hits=hits, embedding=services.embedder.name)
