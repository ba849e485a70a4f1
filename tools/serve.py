"""make serve: the API on http://127.0.0.1:PORT (default 8000) against native Neo4j and OpenSearch servers.

A bearer token for this run is printed once (its digest is the only client); Ctrl-C stops the API and
both servers. Settings not set here come from the environment as usual (e.g. LOG_LEVEL). Traces are off
unless TRACES_ENABLED is set: no collector listens on a developer's machine."""

from __future__ import annotations

import json
import os
import secrets
import sys

import uvicorn
from pydantic import SecretStr

from service.auth import token_digest
from service.main import create_app
from tools.stores import local_settings, started_stores


def main() -> int:
    token = secrets.token_urlsafe(24)
    clients = [
        {"client": "developer", "scopes": ["read", "write", "delete"], "token_sha256": token_digest(token)}
    ]
    port = int(os.environ.get("PORT", "8000"))
    tracing = {} if "TRACES_ENABLED" in os.environ else {"traces_enabled": False}
    with started_stores() as (graph, search):
        settings = local_settings(
            graph,
            search,
            api_clients=SecretStr(json.dumps(clients)),
            audit_hmac_key=SecretStr(secrets.token_urlsafe(32)),
            host="127.0.0.1",
            port=port,
            **tracing,
        )
        print(
            f"NoteGen API on http://127.0.0.1:{port} (OpenAPI: /docs); this run's token:\n"
            f"  export NOTEGEN_TOKEN={token}\n"
            f'  curl -H "Authorization: Bearer $NOTEGEN_TOKEN" ...',
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, access_log=False, log_config=None
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
