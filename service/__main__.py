"""The container's command: `python -m service` serves the app on HOST:PORT from the settings.

uvicorn's access log is off: it prints raw paths, which carry patient references; the app logs each
request itself with the route template (service/middleware.py).

With TLS_CERTIFICATE and TLS_PRIVATE_KEY set (from the api-tls secret) it serves HTTPS only, so requests
stay encrypted on the hop from the load balancer to the task. The PEMs go to uvicorn through anonymous
in-memory files (memfd): the root file system is read-only and the key never touches a disk."""

from __future__ import annotations

import os
import sys
from typing import Any

import uvicorn
from pydantic import ValidationError

from service.main import create_app
from service.settings import Settings


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        print(f"error: invalid settings: {problems}", file=sys.stderr)
        return 2
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=True,
        log_config=None,
        **tls_options(settings),
    )
    return 0


def tls_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's ssl_certfile/ssl_keyfile from the settings' PEMs (none when TLS is not configured)."""
    certificate = settings.tls_certificate.get_secret_value()
    key = settings.tls_private_key.get_secret_value()
    if not certificate and not key:
        return {}
    if not certificate or not key:
        raise SystemExit("error: TLS_CERTIFICATE and TLS_PRIVATE_KEY go together")
    return {
        "ssl_certfile": _memory_file("tls-certificate", certificate),
        "ssl_keyfile": _memory_file("tls-key", key),
    }


def _memory_file(name: str, text: str) -> str:
    descriptor = os.memfd_create(name)
    os.write(descriptor, text.encode())
    return f"/proc/self/fd/{descriptor}"


if __name__ == "__main__":
    sys.exit(main())
