"""The API without its stores: health, authentication (401/403), bad input (4xx, never 500), size limits,
and a store that is down (503). The stores are closed ports here; tests/service/test_integration.py runs
the same app against real Neo4j and OpenSearch servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.main import create_app
from tests.service.support import TRANSCRIPT, bearer, settings_without_stores


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings_without_stores(max_request_bytes=64_000))) as test_client:
        yield test_client


def test_livez_checks_nothing(client: TestClient) -> None:
    response = client.get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


def test_readyz_is_503_naming_each_store_that_is_down(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["neo4j"]["ok"] is False and checks["opensearch"]["ok"] is False


V1_ROUTES = [
    ("post", "/v1/transcripts", TRANSCRIPT),
    ("post", "/v1/search", {"query": "chest pain"}),
    ("post", "/v1/transcripts/00000000-0000-0000-0000-000000000000/notes", None),
    ("get", "/v1/patients/MRN-1/graph", None),
    ("delete", "/v1/patients/MRN-1", None),
]


@pytest.mark.parametrize(("method", "path", "body"), V1_ROUTES)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic c2NyaWJlOng="])
def test_every_v1_route_refuses_a_missing_or_wrong_token(
    client: TestClient, method: str, path: str, body: object, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.request(method.upper(), path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_every_v1_route_in_the_openapi_document_requires_the_bearer_scheme(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    v1 = {(method, path) for path, item in paths.items() if path.startswith("/v1") for method in item}
    assert len(v1) == len(V1_ROUTES)
    for path, item in paths.items():
        for operation in item.values():
            assert path.startswith("/v1") == bool(operation.get("security")), path


@pytest.mark.parametrize(
    ("client_name", "method", "path", "body"),
    [
        ("viewer", "post", "/v1/transcripts", TRANSCRIPT),
        ("viewer", "post", "/v1/transcripts/00000000-0000-0000-0000-000000000000/notes", None),
        ("scribe", "delete", "/v1/patients/MRN-1", None),
        ("viewer", "delete", "/v1/patients/MRN-1", None),
    ],
)
def test_a_client_without_the_scope_is_forbidden(
    client: TestClient, client_name: str, method: str, path: str, body: object
) -> None:
    response = client.request(method.upper(), path, json=body, headers=bearer(client_name))
    assert response.status_code == 403
    assert "scope" in response.json()["detail"]


BAD_INPUT = [
    {**TRANSCRIPT, "patient_ref": "MRN 448812; DROP"},
    {**TRANSCRIPT, "turns": []},
    {**TRANSCRIPT, "turns": [{"speaker": "robot", "text": "hello"}]},
    {**TRANSCRIPT, "turns": [{"speaker": "patient", "text": "   "}]},
    {**TRANSCRIPT, "unexpected": 1},
    {"patient_ref": "MRN-1"},
    [],
]


@pytest.mark.parametrize("body", BAD_INPUT)
def test_bad_transcripts_get_a_422_that_does_not_echo_the_input(client: TestClient, body: object) -> None:
    response = client.post("/v1/transcripts", json=body, headers=bearer("scribe"))
    assert response.status_code == 422
    assert "DROP" not in response.text and "input" not in response.json()["detail"][0]


@pytest.mark.parametrize(
    "body",
    [{"query": ""}, {"query": "x", "k": 0}, {"query": "x", "k": 101}, {"query": "x", "patient_ref": "a b"}],
)
def test_bad_searches_get_a_422(client: TestClient, body: object) -> None:
    assert client.post("/v1/search", json=body, headers=bearer("viewer")).status_code == 422


def test_malformed_json_and_bad_path_parameters_get_a_422(client: TestClient) -> None:
    headers = {**bearer("scribe"), "Content-Type": "application/json"}
    assert client.post("/v1/search", content=b"{not json", headers=headers).status_code == 422
    assert client.post("/v1/transcripts/not-a-uuid/notes", headers=headers).status_code == 422
    assert client.get("/v1/patients/..%2F..%2Fetc/graph", headers=headers).status_code in (404, 422)


def test_a_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    headers = {**bearer("scribe"), "Content-Type": "application/json"}
    assert client.post("/v1/transcripts", content=b" " * 70_000, headers=headers).status_code == 413

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b" " * 10_000

    assert client.post("/v1/transcripts", content=chunked(), headers=headers).status_code == 413


def test_a_store_that_is_down_is_a_503_not_a_500(client: TestClient) -> None:
    response = client.post("/v1/transcripts", json=TRANSCRIPT, headers=bearer("scribe"))
    assert response.status_code == 503
    assert response.json() == {"detail": "the graph store is unavailable"}
    response = client.post("/v1/search", json={"query": "chest pain"}, headers=bearer("viewer"))
    assert response.status_code == 503


def test_a_caller_request_id_is_kept_only_when_it_is_safe(client: TestClient) -> None:
    assert (
        client.get("/livez", headers={"X-Request-ID": "abcd-1234-efgh"}).headers["x-request-id"]
        == "abcd-1234-efgh"
    )
    assert client.get("/livez", headers={"X-Request-ID": "<script>"}).headers["x-request-id"] != "<script>"
