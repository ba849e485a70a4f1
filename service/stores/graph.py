"""Neo4j: Patient -HAS_ENCOUNTER-> Encounter -HAS_TRANSCRIPT-> Transcript -HAS_NOTE-> Note.

Cypher with parameters only; every write is a managed transaction (retried by the driver on transient
errors) and an idempotent MERGE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import Driver, ManagedTransaction
from opentelemetry.trace import NoOpTracer, Tracer

from service.models import EncounterGraph, PatientGraph, Soap
from service.tracing import traced

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT patient_id IF NOT EXISTS FOR (n:Patient) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT encounter_id IF NOT EXISTS FOR (n:Encounter) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT transcript_id IF NOT EXISTS FOR (n:Transcript) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT note_id IF NOT EXISTS FOR (n:Note) REQUIRE n.id IS UNIQUE",
)

ENCOUNTER_OWNERS: LiteralString = """
MATCH (other:Patient)-[:HAS_ENCOUNTER]->(:Encounter {id: $encounter})
WHERE other.id <> $patient
RETURN count(other) AS others
"""

LINK_TRANSCRIPT: LiteralString = """
MERGE (p:Patient {id: $patient})
MERGE (e:Encounter {id: $encounter})
MERGE (p)-[:HAS_ENCOUNTER]->(e)
MERGE (t:Transcript {id: $transcript})
ON CREATE SET t.chunks = $chunks, t.ingested_at = $at, t.recorded_at = $recorded
MERGE (e)-[:HAS_TRANSCRIPT]->(t)
"""

ADD_NOTE: LiteralString = """
MATCH (t:Transcript {id: $transcript})
MERGE (n:Note {id: $note})
SET n.generator = $generator, n.created_at = $at, n.subjective = $subjective,
    n.objective = $objective, n.assessment = $assessment, n.plan = $plan
MERGE (t)-[:HAS_NOTE]->(n)
RETURN n.id AS id
"""

PATIENT_GRAPH: LiteralString = """
MATCH (p:Patient {id: $patient})
OPTIONAL MATCH (p)-[:HAS_ENCOUNTER]->(e:Encounter)
OPTIONAL MATCH (e)-[:HAS_TRANSCRIPT]->(t:Transcript)
OPTIONAL MATCH (t)-[:HAS_NOTE]->(n:Note)
RETURN e.id AS encounter, collect(DISTINCT t.id) AS transcripts, collect(DISTINCT n.id) AS notes
ORDER BY encounter
"""

DELETE_PATIENT: LiteralString = """
MATCH (p:Patient {id: $patient})
OPTIONAL MATCH (p)-[:HAS_ENCOUNTER]->(e:Encounter)
OPTIONAL MATCH (e)-[:HAS_TRANSCRIPT]->(t:Transcript)
OPTIONAL MATCH (t)-[:HAS_NOTE]->(n:Note)
WITH collect(DISTINCT p) + collect(DISTINCT e) + collect(DISTINCT t) + collect(DISTINCT n) AS nodes
UNWIND nodes AS node
DETACH DELETE node
RETURN count(node) AS deleted
"""

COUNT_PATIENT: LiteralString = """
OPTIONAL MATCH (p:Patient {id: $patient})
OPTIONAL MATCH (p)-[:HAS_ENCOUNTER]->(e:Encounter)
OPTIONAL MATCH (e)-[:HAS_TRANSCRIPT]->(t:Transcript)
OPTIONAL MATCH (t)-[:HAS_NOTE]->(n:Note)
RETURN count(DISTINCT p) + count(DISTINCT e) + count(DISTINCT t) + count(DISTINCT n) AS nodes
"""

TRANSCRIPT_OWNER: LiteralString = """
MATCH (p:Patient)-[:HAS_ENCOUNTER]->(e:Encounter)-[:HAS_TRANSCRIPT]->(t:Transcript {id: $transcript})
RETURN p.id AS patient, e.id AS encounter
"""


class EncounterConflictError(Exception):
    """The encounter reference already belongs to another patient."""


class GraphStore:
    def __init__(self, driver: Driver, database: str | None = None, tracer: Tracer | None = None) -> None:
        self.driver = driver
        self.database = database
        self.tracer = tracer or NoOpTracer()

    @traced("neo4j", "ensure_schema")
    def ensure_schema(self) -> None:
        with self.driver.session(database=self.database) as session:
            for statement in CONSTRAINTS:
                session.run(statement).consume()

    def write(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    @traced("neo4j", "link_transcript")
    def link_transcript(
        self,
        patient: str,
        encounter: str,
        transcript: str,
        chunks: int,
        at: datetime,
        recorded: datetime | None,
    ) -> None:
        params = {"patient": patient, "encounter": encounter, "transcript": transcript}

        def work(tx: ManagedTransaction) -> None:
            """One transaction: the ownership check and the upserts commit together or not at all."""
            if tx.run(ENCOUNTER_OWNERS, params).single(strict=True)["others"]:
                raise EncounterConflictError("the encounter belongs to another patient")
            tx.run(LINK_TRANSCRIPT, params, chunks=chunks, at=at, recorded=recorded).consume()

        with self.driver.session(database=self.database) as session:
            session.execute_write(work)

    @traced("neo4j", "transcript_owner")
    def transcript_owner(self, transcript: str) -> tuple[str, str] | None:
        rows = self.read(TRANSCRIPT_OWNER, transcript=transcript)
        return (rows[0]["patient"], rows[0]["encounter"]) if rows else None

    @traced("neo4j", "add_note")
    def add_note(self, transcript: str, note: str, generator: str, at: datetime, soap: Soap) -> None:
        self.write(
            ADD_NOTE, transcript=transcript, note=note, generator=generator, at=at, **soap.model_dump()
        )

    @traced("neo4j", "patient_graph")
    def patient_graph(self, patient: str) -> PatientGraph | None:
        rows = self.read(PATIENT_GRAPH, patient=patient)
        if not rows:
            return None
        encounters = [
            EncounterGraph(encounter_ref=row["encounter"], transcripts=row["transcripts"], notes=row["notes"])
            for row in rows
            if row["encounter"] is not None
        ]
        return PatientGraph(patient_ref=patient, encounters=encounters)

    @traced("neo4j", "delete_patient")
    def delete_patient(self, patient: str) -> int:
        rows = self.write(DELETE_PATIENT, patient=patient)
        return int(rows[0]["deleted"]) if rows else 0

    @traced("neo4j", "count_patient")
    def count_patient(self, patient: str) -> int:
        return int(self.read(COUNT_PATIENT, patient=patient)[0]["nodes"])

    def ping(self) -> None:
        self.driver.verify_connectivity()
