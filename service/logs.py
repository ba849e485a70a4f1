"""Structured JSON logs. Records carry a request id and only fields the code chose: never request bodies,
paths with references, or exception messages (which may quote PHI) - only exception type names."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id: ContextVar[str] = ContextVar("request_id", default="-")
FIELDS = ("event", "audit", "method", "route", "status", "duration_ms", "error", "component")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.msg if isinstance(record.msg, str) else type(record.msg).__name__,
            "request_id": request_id.get(),
        }
        entry.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def configure(level: str) -> None:
    """One JSON handler on the root logger; libraries' own formatted messages are kept at WARNING."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in (
        "neo4j",
        "opensearch",
        "opensearchpy",
        "urllib3",
        "httpx",
        "httpx2",
        "openai",
        "uvicorn.access",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
