"""The service's parts on their own: settings, tokens, chunking, the extractive note, the embedding,
readiness caching and timeouts, JSON logs and audit pseudonyms."""

from __future__ import annotations

import io
import json
import logging
import threading
import time

import numpy as np
import pytest
from pydantic import SecretStr, ValidationError

from service.audit import Auditor
from service.auth import TokenVerifier, token_digest
from service.chunking import chunk_turns, transcript_id
from service.embeddings import MiniLMEmbedder
from service.logs import JsonFormatter, request_id
from service.models import TranscriptIn
from service.notes import ExtractiveGenerator
from service.readiness import Probe, Readiness
from service.settings import Settings, contract_fields
from tests.service.support import TRANSCRIPT

SAFE_PROD = {
    "app_env": "prod",
    "neo4j_uri": "bolt+s://neo4j.prod.notegen.internal:7687",
    "neo4j_password": SecretStr("a-long-generated-password"),
    "opensearch_endpoint": "https://vpc-notegen.ca-central-1.es.amazonaws.com",
    "opensearch_auth_method": "sigv4",
    "audit_hmac_key": SecretStr("x" * 40),
}


def test_production_settings_are_accepted_when_safe() -> None:
    assert Settings(**SAFE_PROD).app_env == "prod"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"aws_region": "us-east-1"}, "outside Canada"),
        ({"neo4j_uri": "bolt://neo4j:7687"}, "encrypted scheme"),
        ({"opensearch_endpoint": "http://search:9200"}, "https://"),
        ({"opensearch_auth_method": "basic"}, "sigv4"),
        ({"opensearch_auth_method": "none"}, "sigv4"),
        ({"neo4j_password": SecretStr("neo4j")}, "well-known default"),
        ({"audit_hmac_key": SecretStr("short")}, "audit_hmac_key"),
        ({"note_generator": "azure-openai", "azure_openai_endpoint": "http://x"}, "azure_openai_endpoint"),
        ({"app_env": "production"}, "app_env"),
    ],
)
def test_production_refuses_unsafe_values(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**(SAFE_PROD | change))  # type: ignore[arg-type]


def test_settings_read_the_task_definition_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "APP_ENV": "staging",
        "NEO4J_USERNAME": "svc",
        "OPENSEARCH_AUTH_METHOD": "sigv4",
    }.items():
        monkeypatch.setenv(name, value)
    for field, given in SAFE_PROD.items():
        if field not in ("app_env", "opensearch_auth_method"):
            text = given.get_secret_value() if isinstance(given, SecretStr) else str(given)
            monkeypatch.setenv(field.upper(), text)
    settings = Settings()
    assert settings.app_env == "staging" and settings.neo4j_username.get_secret_value() == "svc"


def test_every_setting_carries_its_contract_and_secrets_are_secret_types() -> None:
    fields = contract_fields()
    assert fields["NEO4J_PASSWORD"] == ("required", True)
    assert fields["NEO4J_URI"] == ("required", False)
    assert fields["OPENSEARCH_PASSWORD"] == ("local", True)
    assert all(
        secret for name, (_, secret) in fields.items() if name.endswith(("PASSWORD", "KEY", "CLIENTS"))
    )


def test_tokens_verify_by_digest_and_a_bad_list_is_refused() -> None:
    verifier = TokenVerifier.from_json(
        json.dumps([{"client": "ehr", "scopes": ["read"], "token_sha256": token_digest("s3cret-token")}])
    )
    principal = verifier.verify("s3cret-token")
    assert principal is not None and principal.client == "ehr" and principal.scopes == {"read"}
    assert verifier.verify("s3cret-token ") is None
    for bad in ("not json", '[{"client": "x", "scopes": ["root"], "token_sha256": "00"}]', "{}"):
        with pytest.raises(ValueError, match="api_clients") as caught:
            TokenVerifier.from_json(bad)
        assert "root" not in str(caught.value)


def test_chunks_keep_order_and_size_and_ids_are_stable() -> None:
    long = {"speaker": "patient", "text": " ".join(f"w{i}" for i in range(200))}
    transcript = TranscriptIn.model_validate({**TRANSCRIPT, "turns": [*TRANSCRIPT["turns"], long]})
    chunks = chunk_turns(transcript, max_words=80)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert all(len(c.text.replace("\n", " ").split()) <= 80 + 2 * c.text.count("\n") + 1 for c in chunks)
    words = " ".join(c.text for c in chunks)
    assert "w0" in words and "w199" in words and words.index("w0") < words.index("w199")
    assert transcript_id(transcript) == transcript_id(TranscriptIn.model_validate(transcript.model_dump()))
    other = TranscriptIn.model_validate({**TRANSCRIPT, "encounter_ref": "ENC-other"})
    assert transcript_id(other) != transcript_id(transcript)


def test_the_extractive_note_is_deterministic_and_sorted_into_soap() -> None:
    lines = chunk_turns(TranscriptIn.model_validate(TRANSCRIPT))[0].text.split("\n")
    note = ExtractiveGenerator().generate(lines)
    assert note == ExtractiveGenerator().generate(lines)
    assert any("burning chest pain" in s for s in note.subjective)
    assert any("blood pressure" in s for s in note.objective)
    assert any("reflux" in s for s in note.assessment)
    assert any("omeprazole" in s for s in note.plan)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_the_local_embedding_ranks_a_paraphrase_above_an_unrelated_sentence(embedder: MiniLMEmbedder) -> None:
    vectors = np.array(
        embedder.embed(
            [
                "The patient has chest pain after eating.",
                "Burning in the chest following meals.",
                "We repaired the car's brakes.",
            ]
        )
    )
    assert vectors.shape == (3, embedder.dimension) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2] + 0.3


def test_the_embedding_does_not_depend_on_the_batch(embedder: MiniLMEmbedder) -> None:
    alone = np.array(embedder.embed(["short text"]))
    padded = np.array(embedder.embed(["short text", "a much longer text " * 20]))
    assert np.allclose(alone[0], padded[0], atol=1e-5)


def test_readiness_caches_its_answer_and_times_out_a_hanging_store() -> None:
    calls = {"fast": 0}
    release = threading.Event()

    def fast() -> None:
        calls["fast"] += 1

    def hang() -> None:
        release.wait(5)

    readiness = Readiness([Probe("fast", fast), Probe("hangs", hang)], 0.3, 60)
    try:
        started = time.monotonic()
        first = readiness.checks()
        assert time.monotonic() - started < 2
        assert [c.ok for c in first] == [True, False] and "0.3s" in first[1].detail
        assert readiness.checks() is first and calls["fast"] == 1
    finally:
        release.set()
        readiness.close()


def test_logs_are_json_with_the_request_id_and_no_message_arguments() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    token = request_id.set("rid-12345678")
    try:
        logger.warning("lookup of %s failed", "MRN-448812")
    finally:
        request_id.reset(token)
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["request_id"] == "rid-12345678" and "MRN-448812" not in stream.getvalue()


def test_audit_pseudonyms_are_stable_keyed_and_hide_the_reference() -> None:
    auditor, other = Auditor(b"k" * 32), Auditor(b"j" * 32)
    assert auditor.pseudonym("MRN-448812") == auditor.pseudonym("MRN-448812")
    assert auditor.pseudonym("MRN-448812") != other.pseudonym("MRN-448812")
    assert "448812" not in auditor.pseudonym("MRN-448812")
