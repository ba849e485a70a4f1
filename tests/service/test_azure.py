"""The Azure OpenAI adapters through the official `openai` client against a local HTTP server that answers
in Azure OpenAI's REST shape (the real service cannot be reached from here: this server stands in for it).
Checked: the deployment path, the api-version query, the api-key header, and the answers' handling."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from openai import AzureOpenAI

from service.embeddings import AzureOpenAIEmbedder
from service.notes import AzureOpenAIGenerator, NoteGenerationError

KEY = "azure-key-for-tests-only"
SOAP = {
    "subjective": ["burning chest pain"],
    "objective": ["BP 128/82"],
    "assessment": ["reflux"],
    "plan": ["PPI"],
}


class Azure:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Any = None
        self.status = 200


@pytest.fixture
def azure() -> Iterator[tuple[Azure, str]]:
    state = Azure()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "key": self.headers.get("api-key"), "body": body})
            payload = json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def client(url: str) -> AzureOpenAI:
    return AzureOpenAI(api_key=KEY, azure_endpoint=url, api_version="2024-10-21", max_retries=0, timeout=5)


def chat_answer(content: str) -> dict[str, Any]:
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
    }


def test_the_generator_calls_the_deployment_and_reads_the_soap_json(azure: tuple[Azure, str]) -> None:
    state, url = azure
    state.answer = chat_answer(json.dumps(SOAP))
    generator = AzureOpenAIGenerator(client(url), "notes-gpt4o")
    note = generator.generate(["patient: it burns after meals"])
    assert note.model_dump() == SOAP and generator.name == "azure-openai:notes-gpt4o"
    [request] = state.requests
    assert request["path"] == "/openai/deployments/notes-gpt4o/chat/completions?api-version=2024-10-21"
    assert request["key"] == KEY and request["body"]["temperature"] == 0
    assert request["body"]["messages"][1]["content"] == "patient: it burns after meals"


@pytest.mark.parametrize(("status", "content"), [(200, "not json"), (200, '{"subjective": 1}'), (500, "")])
def test_a_failed_or_malformed_answer_is_a_generation_error(
    azure: tuple[Azure, str], status: int, content: str
) -> None:
    state, url = azure
    state.status, state.answer = status, chat_answer(content) if status == 200 else {"error": {"code": "x"}}
    with pytest.raises(NoteGenerationError):
        AzureOpenAIGenerator(client(url), "notes").generate(["clinician: hello"])


def test_the_embedder_keeps_the_input_order(azure: tuple[Azure, str]) -> None:
    state, url = azure
    state.answer = {
        "object": "list",
        "model": "text-embedding-3-small",
        "data": [
            {"object": "embedding", "index": 1, "embedding": [0.0, 1.0]},
            {"object": "embedding", "index": 0, "embedding": [1.0, 0.0]},
        ],
        "usage": {"prompt_tokens": 2, "total_tokens": 2},
    }
    vectors = AzureOpenAIEmbedder(client(url), "embed", 2).embed(["first", "second"])
    assert vectors == [[1.0, 0.0], [0.0, 1.0]]
    [request] = state.requests
    assert request["path"].startswith("/openai/deployments/embed/embeddings")
    assert request["body"]["input"] == ["first", "second"] and request["body"]["dimensions"] == 2
