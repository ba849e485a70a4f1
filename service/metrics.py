"""Custom metrics in CloudWatch's embedded metric format (EMF): one JSON record per measurement.

A record names only the namespace, the dimensions Service and Env, the metric and its value: never a
patient, a request body or a route. Records go to a bounded queue that one background thread drains into
the sink, so a request never waits on stdout or on the collector; when the queue is full or the sink
fails, the record is dropped and counted (`Metrics.dropped`).

Why not the aws-embedded-metrics package: it brings aiohttp for EC2 metadata look-ups the task never
needs, keeps its configuration in process globals read from the environment, and its TCP sink writes on
the caller's thread (its own TODO says so); the format itself is a few lines.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, Final, Literal, Protocol, TextIO
from urllib.parse import urlsplit

NAMESPACE: Final = "NoteGen/API"
SERVICE: Final = "api"
Metric = Literal["IngestCount", "NoteGenerationLatency", "SearchLatency"]
UNITS: Final[dict[Metric, str]] = {
    "IngestCount": "Count",
    "NoteGenerationLatency": "Milliseconds",
    "SearchLatency": "Milliseconds",
}
log = logging.getLogger("notegen.metrics")


def emf_record(metric: Metric, value: float, env: str, timestamp_ms: int) -> dict[str, Any]:
    """One EMF document: the metric's value at the root, described by _aws.CloudWatchMetrics."""
    return {
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [["Service", "Env"]],
                    "Metrics": [{"Name": metric, "Unit": UNITS[metric]}],
                }
            ],
        },
        "Service": SERVICE,
        "Env": env,
        metric: value,
    }


class Sink(Protocol):
    def write(self, line: str) -> None: ...
    def close(self) -> None: ...


class StreamSink:
    """Lines on a text stream (stdout by default: the awslogs driver carries them to CloudWatch Logs,
    which extracts the metrics). One write call per line so lines never interleave with log lines."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class SocketSink:
    """Newline-delimited records to the collector's EMF endpoint (tcp://host:port or udp://host:port)."""

    def __init__(self, endpoint: str, timeout_s: float = 2.0) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("tcp", "udp") or not parts.hostname or not parts.port:
            raise ValueError(f"metrics endpoint must be tcp://host:port or udp://host:port, not {endpoint!r}")
        self.address = (parts.hostname, parts.port)
        self.udp = parts.scheme == "udp"
        self.timeout_s = timeout_s
        self.sock: socket.socket | None = None

    def write(self, line: str) -> None:
        data = (line + "\n").encode()
        try:
            if self.sock is None:
                kind = socket.SOCK_DGRAM if self.udp else socket.SOCK_STREAM
                self.sock = socket.socket(socket.AF_INET, kind)
                self.sock.settimeout(self.timeout_s)
                self.sock.connect(self.address)
            self.sock.sendall(data)
        except OSError:
            self.close()  # reconnect on the next record
            raise

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class Metrics:
    """Records measurements without blocking the caller; `close` drains what is queued (bounded wait)."""

    def __init__(self, env: str, sink: Sink | None, capacity: int = 10_000) -> None:
        self.env = env
        self.sink = sink
        self.dropped = 0
        self.queue: queue.Queue[str | None] = queue.Queue(capacity)
        self.thread: threading.Thread | None = None
        if sink is not None:
            self.thread = threading.Thread(target=self._drain, name="emf-metrics", daemon=True)
            self.thread.start()

    def record(self, metric: Metric, value: float) -> None:
        if self.sink is None:
            return
        line = json.dumps(emf_record(metric, value, self.env, int(time.time() * 1000)))
        try:
            self.queue.put_nowait(line)
        except queue.Full:
            self.dropped += 1

    @contextmanager
    def timed(self, metric: Metric) -> Iterator[None]:
        """Records the block's duration in milliseconds when it succeeds (a failure is no latency)."""
        started = time.perf_counter()
        yield
        self.record(metric, (time.perf_counter() - started) * 1000)

    def close(self, timeout_s: float = 5.0) -> None:
        if self.thread is None:
            return
        with suppress(queue.Full):
            self.queue.put(None, timeout=timeout_s)
        self.thread.join(timeout_s)
        self.thread = None

    def _drain(self) -> None:
        assert self.sink is not None
        while (line := self.queue.get()) is not None:
            try:
                self.sink.write(line)
            except Exception as error:  # a sink that fails drops the record, never the process
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.warning(
                        "metrics sink failed; records dropped",
                        extra={"error": type(error).__name__, "component": "metrics"},
                    )
        self.sink.close()
