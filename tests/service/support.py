"""Shared by the service's tests: settings, tokens and a client for an app whose stores are given."""

from __future__ import annotations

import json
import socket

from pydantic import SecretStr

from service.auth import token_digest
from service.settings import Settings

TOKENS = {
    "scribe": "scribe-token-0123456789",
    "viewer": "viewer-token-0123456789",
    "dpo": "dpo-token-0123456789",
}
SCOPES = {"scribe": ["read", "write"], "viewer": ["read"], "dpo": ["read", "delete"]}


def api_clients() -> str:
    return json.dumps(
        [
            {"client": name, "scopes": SCOPES[name], "token_sha256": token_digest(token)}
            for name, token in TOKENS.items()
        ]
    )


def bearer(client: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[client]}"}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_without_stores(**overrides: object) -> Settings:
    """Development settings whose stores are closed ports: requests refused before any store is used."""
    values: dict[str, object] = {
        "api_clients": SecretStr(api_clients()),
        "audit_hmac_key": SecretStr("k" * 32),
        "neo4j_uri": f"bolt://127.0.0.1:{closed_port()}",
        "neo4j_password": SecretStr("not-used-here"),
        "opensearch_endpoint": f"http://127.0.0.1:{closed_port()}",
        "store_timeout_s": 1.0,
        "probe_timeout_s": 1.0,
        "ready_cache_s": 0.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


TRANSCRIPT = {
    "patient_ref": "MRN-448812",
    "encounter_ref": "ENC-2026-0091",
    "turns": [
        {"speaker": "clinician", "text": "What brings you in today?"},
        {"speaker": "patient", "text": "I have had a burning chest pain after meals for three weeks."},
        {
            "speaker": "clinician",
            "text": "Your blood pressure is 128 over 82 and the abdominal exam is soft.",
        },
        {"speaker": "clinician", "text": "This is most likely consistent with gastroesophageal reflux."},
        {"speaker": "clinician", "text": "We will start omeprazole 20 mg daily and follow up in four weeks."},
    ],
}
