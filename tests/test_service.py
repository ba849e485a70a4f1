"""The service's health endpoints and settings.

Neo4j and OpenSearch servers cannot be installed on this machine (no packages, no Docker engine), so
/readyz is tested with stand-in probes; the real probes are tested against a real local HTTP server
(OpenSearch's health API shape) and a closed port (Neo4j down).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from service.deps import get_probes
from service.main import create_app
from service.probes import Neo4jProbe, OpenSearchProbe, ProbeResult
from service.settings import Settings


@dataclass(frozen=True)
class StandIn:
    name: str
    ok: bool

    def check(self) -> ProbeResult:
        return ProbeResult(self.name, self.ok, "stand-in")


def client_with(*probes: StandIn) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_probes] = lambda: probes
    return TestClient(app)


def test_livez_has_no_dependency_checks() -> None:
    response = client_with(StandIn("neo4j", False)).get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_when_every_dependency_is_up() -> None:
    response = client_with(StandIn("neo4j", True), StandIn("opensearch", True)).get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_is_503_when_one_dependency_is_down() -> None:
    response = client_with(StandIn("neo4j", True), StandIn("opensearch", False)).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["opensearch"]["ok"] is False


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_neo4j_probe_reports_a_closed_port_as_down() -> None:
    result = Neo4jProbe(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "x" * 12, 1.0).check()
    assert result.ok is False and result.name == "neo4j"


@pytest.fixture
def health_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"status": "yellow" if self.path == "/_cluster/health" else "red"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_opensearch_probe_reads_cluster_health(health_server: str) -> None:
    assert OpenSearchProbe(health_server, 2.0).check().ok is True
    assert OpenSearchProbe(f"http://127.0.0.1:{closed_port()}", 1.0).check().ok is False


def test_settings_refuse_unsafe_values_outside_development() -> None:
    with pytest.raises(ValidationError, match="outside Canada"):
        Settings(environment="production", aws_region="us-east-1")
    with pytest.raises(ValidationError, match="encrypted scheme"):
        Settings(environment="staging", neo4j_password=SecretStr("x" * 20))
    safe = Settings(
        environment="production",
        neo4j_uri="neo4j+s://graph.internal:7687",
        opensearch_url="https://search.internal",
        neo4j_password=SecretStr("a-long-generated-password"),
    )
    assert safe.environment == "production"
    assert Settings().environment == "development"
