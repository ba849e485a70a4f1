"""The API's own benchmark: ingest throughput and search latency (p50/p95) over HTTP on loopback, against
real Neo4j and OpenSearch servers, with the local MiniLM embedding.

python -m bench.service [--chunks 10000] [--queries 200] [--output bench/service-results.json]
starts both servers natively (emulator/), serves the app with uvicorn on 127.0.0.1, fills the k-NN index
with synthetic transcripts through POST /v1/transcripts, then times POST /v1/search. tests/service/
test_bench_service.py runs run() on the session's servers with a few chunks (the smoke in make test).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from service.main import create_app
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token-not-a-secret-0123456789"
WORDS_PER_TURN = 26  # a chunk is up to 80 words: three turns of this length
SYMPTOMS = [
    "chest pain",
    "headache",
    "shortness of breath",
    "back pain",
    "a rash",
    "fatigue",
    "dizziness",
    "a cough",
]
FILLER = [
    "the",
    "patient",
    "describes",
    "it",
    "as",
    "worse",
    "in",
    "the",
    "morning",
    "and",
    "better",
    "after",
    "rest",
    "with",
    "no",
    "other",
    "change",
    "noted",
]


def transcript(i: int, turns: int, rng: random.Random) -> dict[str, Any]:
    def turn(speaker: str) -> dict[str, str]:
        symptom = rng.choice(SYMPTOMS)
        words = [*f"about {symptom} for {rng.randint(1, 30)} days".split(), *rng.sample(FILLER, len(FILLER))]
        return {"speaker": speaker, "text": " ".join(words[:WORDS_PER_TURN])}

    return {
        "patient_ref": f"BENCH-P{i // 4}",
        "encounter_ref": f"BENCH-E{i}",
        "turns": [turn("patient" if t % 2 else "clinician") for t in range(turns)],
    }


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread; stopped on exit."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not (server.started and server.servers) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("the app did not start within 60 s")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(settings: Settings, chunks: int, queries: int, workers: int = 2) -> dict[str, Any]:
    """Ingest transcripts until `chunks` chunks are indexed, then time `queries` searches (half of them
    filtered to one patient). Settings must accept the bench token (see api_clients())."""
    rng = random.Random(7)
    turns_per_transcript = 30  # 10 chunks of 3 turns
    per_transcript = turns_per_transcript // 3
    bodies = [transcript(i, turns_per_transcript, rng) for i in range(max(1, chunks // per_transcript))]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with served(settings) as url, httpx.Client(base_url=url, headers=headers, timeout=120) as client:

        def ingest(body: dict[str, Any]) -> int:
            response = client.post("/v1/transcripts", json=body)
            response.raise_for_status()
            return int(response.json()["chunks"])

        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            indexed = sum(pool.map(ingest, bodies))
        ingest_s = time.perf_counter() - started

        latencies: dict[str, list[float]] = {"all": [], "patient": []}
        for q in range(queries):
            kind = "patient" if q % 2 else "all"
            body: dict[str, Any] = {"query": f"{rng.choice(SYMPTOMS)} for a few days", "k": 10}
            if kind == "patient":
                body["patient_ref"] = f"BENCH-P{rng.randrange(len(bodies) // 4 or 1)}"
            began = time.perf_counter()
            response = client.post("/v1/search", json=body)
            latencies[kind].append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
            if not response.json()["hits"]:
                raise RuntimeError("a search found nothing in a filled index")
    return {
        "chunks_indexed": indexed,
        "transcripts": len(bodies),
        "ingest_s": round(ingest_s, 2),
        "ingest_chunks_per_s": round(indexed / ingest_s, 1),
        "ingest_workers": workers,
        "search": {
            kind: {
                "queries": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for kind, values in latencies.items()
        },
        "embedding": "all-MiniLM-L6-v2 (numpy, CPU)",
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def api_clients() -> str:
    from service.auth import token_digest

    return json.dumps([{"client": "bench", "scopes": ["read", "write"], "token_sha256": token_digest(TOKEN)}])


def main(argv: list[str] | None = None) -> int:
    from pydantic import SecretStr

    from tools.stores import local_settings, started_stores

    parser = argparse.ArgumentParser(prog="python -m bench.service", description=__doc__)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "service-results.json")
    args = parser.parse_args(argv)
    with started_stores() as (graph, search):
        settings = local_settings(
            graph,
            search,
            api_clients=SecretStr(api_clients()),
            audit_hmac_key=SecretStr("b" * 32),
            log_level="WARNING",
        )
        results = run(settings, args.chunks, args.queries)
    args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print_table(results)
    return 0


def print_table(results: dict[str, Any]) -> None:
    print(f"{'service case':<34} {'value':>12}")
    print("-" * 47)
    print(
        f"{'ingest (chunks/s, ' + str(results['ingest_workers']) + ' clients)':<34} {results['ingest_chunks_per_s']:>12}"
    )
    print(f"{'chunks indexed':<34} {results['chunks_indexed']:>12}")
    for kind, figures in results["search"].items():
        label = "search k=10" + (" (one patient)" if kind == "patient" else "")
        print(f"{label + ' p50 ms':<34} {figures['p50_ms']:>12}")
        print(f"{label + ' p95 ms':<34} {figures['p95_ms']:>12}")


if __name__ == "__main__":
    raise SystemExit(main())
