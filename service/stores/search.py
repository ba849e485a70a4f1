"""OpenSearch: one k-NN index of transcript chunks (HNSW, Lucene engine, cosine similarity).

Document ids are "<transcript_id>:<position>", so indexing a transcript again overwrites its chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opensearchpy import OpenSearch, helpers
from opentelemetry.trace import NoOpTracer, Tracer

from service.chunking import Chunk
from service.models import Hit
from service.tracing import note, traced


def index_body(dimension: int) -> dict[str, Any]:
    return {
        "settings": {"index": {"knn": True, "number_of_shards": 1, "refresh_interval": "1s"}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "patient_ref": {"type": "keyword"},
                "encounter_ref": {"type": "keyword"},
                "transcript_id": {"type": "keyword"},
                "position": {"type": "integer"},
                "speaker": {"type": "keyword"},
                "text": {"type": "text", "index": False},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dimension,
                    "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
                },
            },
        },
    }


class SearchStore:
    def __init__(
        self, client: OpenSearch, index: str, timeout_s: float, tracer: Tracer | None = None
    ) -> None:
        self.client = client
        self.index = index
        self.timeout_s = timeout_s
        self.tracer = tracer or NoOpTracer()

    @traced("opensearch", "ensure_index")
    def ensure_index(self, dimension: int) -> None:
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, body=index_body(dimension))
            return
        mapping = self.client.indices.get_mapping(index=self.index)
        current = mapping[self.index]["mappings"]["properties"]["embedding"]["dimension"]
        if int(current) != dimension:
            raise ValueError(
                f"index {self.index} holds {current}-dimension vectors, the embedder makes {dimension}"
            )

    @traced("opensearch", "index_chunks")
    def index_chunks(
        self,
        patient: str,
        encounter: str,
        transcript: str,
        chunks: Sequence[Chunk],
        vectors: list[list[float]],
    ) -> None:
        actions = [
            {
                "_index": self.index,
                "_id": f"{transcript}:{chunk.position}",
                "_source": {
                    "patient_ref": patient,
                    "encounter_ref": encounter,
                    "transcript_id": transcript,
                    "position": chunk.position,
                    "speaker": chunk.speaker,
                    "text": chunk.text,
                    "embedding": vector,
                },
            }
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        note("notegen.chunks", len(actions))
        helpers.bulk(self.client, actions, refresh="wait_for", request_timeout=self.timeout_s * 6)

    @traced("opensearch", "search")
    def search(
        self, vector: list[float], k: int, patient: str | None = None, encounter: str | None = None
    ) -> list[Hit]:
        knn: dict[str, Any] = {"vector": vector, "k": k}
        filters = [
            {"term": {name: value}}
            for name, value in (("patient_ref", patient), ("encounter_ref", encounter))
            if value
        ]
        if filters:
            knn["filter"] = {"bool": {"filter": filters}}
        body = {"size": k, "_source": {"excludes": ["embedding"]}, "query": {"knn": {"embedding": knn}}}
        note("notegen.k", k)
        note("notegen.filtered", bool(filters))
        response = self.client.search(index=self.index, body=body, request_timeout=self.timeout_s)
        hits = response["hits"]["hits"]
        note("notegen.hits", len(hits))
        return [Hit(**hit["_source"], score=float(hit["_score"])) for hit in hits]

    @traced("opensearch", "transcript_lines")
    def transcript_lines(self, transcript: str, limit: int = 5_000) -> list[str]:
        body = {
            "size": limit,
            "_source": ["text"],
            "sort": [{"position": "asc"}],
            "query": {"term": {"transcript_id": transcript}},
        }
        response = self.client.search(index=self.index, body=body, request_timeout=self.timeout_s)
        return [line for hit in response["hits"]["hits"] for line in hit["_source"]["text"].split("\n")]

    @traced("opensearch", "delete_patient")
    def delete_patient(self, patient: str, page: int = 500) -> int:
        """Finds the patient's chunks page by page and bulk-deletes them (no _delete_by_query: it lives in
        the reindex module, which a minimal node may lack; this works on every node)."""
        deleted = 0
        body: dict[str, Any] = {
            "size": page,
            "_source": False,
            "sort": [{"transcript_id": "asc"}, {"position": "asc"}],
            "query": {"term": {"patient_ref": patient}},
        }
        while True:
            hits = self.client.search(index=self.index, body=body, request_timeout=self.timeout_s)["hits"][
                "hits"
            ]
            if not hits:
                note("notegen.deleted", deleted)
                return deleted
            actions = [{"_op_type": "delete", "_index": self.index, "_id": hit["_id"]} for hit in hits]
            done, _ = helpers.bulk(
                self.client, actions, refresh="wait_for", request_timeout=self.timeout_s * 6
            )
            deleted += done
            body["search_after"] = hits[-1]["sort"]

    @traced("opensearch", "count_patient")
    def count_patient(self, patient: str) -> int:
        response = self.client.count(
            index=self.index,
            body={"query": {"term": {"patient_ref": patient}}},
            request_timeout=self.timeout_s,
        )
        return int(response["count"])

    def ping(self, timeout_s: float) -> None:
        health = self.client.cluster.health(request_timeout=timeout_s)
        if health.get("status") not in ("green", "yellow"):
            raise RuntimeError(f"cluster {health.get('status', 'unknown')}")
