"""The API's request and response bodies (pydantic): limits here are part of the API's contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", description="opaque reference")]
Speaker = Literal["clinician", "patient", "caregiver", "interpreter", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Turn(Strict):
    speaker: Speaker
    text: Annotated[str, Field(min_length=1, max_length=10_000, pattern=r"\S")]


class TranscriptIn(Strict):
    patient_ref: Ref
    encounter_ref: Ref
    recorded_at: datetime | None = None
    turns: Annotated[list[Turn], Field(min_length=1, max_length=2_000)]


class TranscriptOut(BaseModel):
    transcript_id: str
    patient_ref: str
    encounter_ref: str
    chunks: int
    embedding: str


class SearchIn(Strict):
    query: Annotated[str, Field(min_length=1, max_length=2_000)]
    k: Annotated[int, Field(ge=1, le=100)] = 5
    patient_ref: Ref | None = None
    encounter_ref: Ref | None = None


class Hit(BaseModel):
    transcript_id: str
    patient_ref: str
    encounter_ref: str
    position: int
    speaker: str
    text: str
    score: float


class SearchOut(BaseModel):
    hits: list[Hit]
    embedding: str


class Soap(BaseModel):
    subjective: list[str]
    objective: list[str]
    assessment: list[str]
    plan: list[str]


class NoteOut(BaseModel):
    note_id: str
    transcript_id: str
    generator: str
    created_at: datetime
    soap: Soap


class EncounterGraph(BaseModel):
    encounter_ref: str
    transcripts: list[str]
    notes: list[str]


class PatientGraph(BaseModel):
    patient_ref: str
    encounters: list[EncounterGraph]


class DeletionOut(BaseModel):
    patient_ref: str
    graph_nodes_deleted: int
    chunks_deleted: int
    verified: bool
