"""Exception -> response: clear 4xx for bad input, 503 when a store is unreachable, 502 when the model
fails; the body and the log name the kind of failure, never the data (errors may quote PHI)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, TransientError
from openai import OpenAIError
from opensearchpy.exceptions import ConnectionError as SearchConnectionError
from opensearchpy.exceptions import OpenSearchException

from service.notes import NoteGenerationError
from service.stores.graph import EncounterConflictError

log = logging.getLogger("notegen.errors")


def kind(error: Exception) -> str:
    """The type of a failure, and OpenSearch's own error type (e.g. illegal_argument_exception): no data."""
    upstream = getattr(error, "error", None)
    return (
        f"{type(error).__name__}:{upstream}"
        if isinstance(upstream, str) and upstream.isidentifier()
        else type(error).__name__
    )


def answer(code: int, detail: str, error: Exception | None = None) -> JSONResponse:
    if error is not None:
        log.warning("request failed", extra={"error": kind(error), "status": code})
    return JSONResponse({"detail": detail}, status_code=code)


async def invalid(request: Request, error: Exception) -> JSONResponse:
    """422 with where and why, without echoing the offending input back."""
    errors = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors
    ]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def conflict(request: Request, error: Exception) -> JSONResponse:
    return answer(status.HTTP_409_CONFLICT, str(error))


async def graph_down(request: Request, error: Exception) -> JSONResponse:
    return answer(status.HTTP_503_SERVICE_UNAVAILABLE, "the graph store is unavailable", error)


async def search_down(request: Request, error: Exception) -> JSONResponse:
    return answer(status.HTTP_503_SERVICE_UNAVAILABLE, "the search store is unavailable", error)


async def search_refused(request: Request, error: Exception) -> JSONResponse:
    return answer(status.HTTP_502_BAD_GATEWAY, "the search store refused the request", error)


async def model_failed(request: Request, error: Exception) -> JSONResponse:
    return answer(status.HTTP_502_BAD_GATEWAY, "the language model failed to answer", error)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(EncounterConflictError, conflict)
    app.add_exception_handler(DriverError, graph_down)
    app.add_exception_handler(TransientError, graph_down)
    app.add_exception_handler(SearchConnectionError, search_down)
    app.add_exception_handler(OpenSearchException, search_refused)
    app.add_exception_handler(NoteGenerationError, model_failed)
    app.add_exception_handler(OpenAIError, model_failed)
