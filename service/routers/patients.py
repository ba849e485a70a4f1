"""A patient's graph, and the deletion of all their data (PIPEDA: withdrawal of consent)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from service.deps import DeleteAudit, ReadAudit, ServicesDep
from service.models import DeletionOut, PatientGraph

router = APIRouter(prefix="/v1/patients", tags=["patients"])
PatientRef = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]


@router.get("/{patient_ref}/graph", response_model=PatientGraph)
def graph(patient_ref: PatientRef, services: ServicesDep, audit: ReadAudit) -> PatientGraph:
    with audit("patient.graph.read", patient_ref):
        found = services.graph.patient_graph(patient_ref)
        if found is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such patient")
    return found


@router.delete("/{patient_ref}", response_model=DeletionOut)
def delete(patient_ref: PatientRef, services: ServicesDep, audit: DeleteAudit) -> DeletionOut:
    """Deletes from both stores, then counts again in both: 'verified' only when nothing is left."""
    with audit("patient.delete", patient_ref):
        services.ensure_schema()
        chunks = services.search.delete_patient(patient_ref)
        nodes = services.graph.delete_patient(patient_ref)
        remaining = services.search.count_patient(patient_ref) + services.graph.count_patient(patient_ref)
        if remaining:
            raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, "deletion incomplete; retry")
    return DeletionOut(
        patient_ref=patient_ref, graph_nodes_deleted=nodes, chunks_deleted=chunks, verified=True
    )
