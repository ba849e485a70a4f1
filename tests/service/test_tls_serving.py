"""The API serves HTTPS itself when its TLS secret is injected: the load balancer's hop to the task is
encrypted (ENC031), the key reaching uvicorn through an in-memory file, and the health check follows."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from emulator.moto import free_port
from emulator.tls import write_test_pki
from service import healthcheck
from service.__main__ import tls_options
from service.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _livez() -> FastAPI:
    app = FastAPI()
    app.get("/livez")(lambda: {"status": "ok"})
    return app


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    pki = write_test_pki(tmp_path, "api")
    settings = Settings(
        tls_certificate=SecretStr(pki.cert.read_text()), tls_private_key=SecretStr(pki.key.read_text())
    )
    monkeypatch.setenv("CA_FILE", str(pki.ca_cert))
    options = tls_options(settings)
    assert str(options["ssl_keyfile"]).startswith("/proc/self/fd/")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_livez(), host="127.0.0.1", port=port, log_config=None, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    monkeypatch.setenv("PORT", str(port))
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def test_the_api_speaks_only_tls_and_its_health_check_follows(
    served: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TLS_CERTIFICATE", "set")
    assert healthcheck.main() == 0
    monkeypatch.delenv("TLS_CERTIFICATE")
    assert healthcheck.main() == 1, "plaintext HTTP must not be answered"
    context = ssl.create_default_context(cafile=os.environ["CA_FILE"])
    with (
        socket.create_connection(("127.0.0.1", served), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_half_a_tls_configuration_is_refused() -> None:
    with pytest.raises(SystemExit, match="go together"):
        tls_options(Settings(tls_certificate=SecretStr("-----BEGIN CERTIFICATE-----")))
    assert tls_options(Settings()) == {}
    assert "memfd_create" in dir(os)
