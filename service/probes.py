"""Readiness probes for the service's dependencies. Each answers (name, ok, detail) and never raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError
from neo4j.exceptions import ServiceUnavailable as Neo4jUnavailable

from service.settings import Settings


@dataclass(frozen=True)
class ProbeResult:
    name: str
    ok: bool
    detail: str


class Probe(Protocol):
    @property
    def name(self) -> str: ...

    def check(self) -> ProbeResult: ...


@dataclass(frozen=True)
class Neo4jProbe:
    uri: str
    user: str
    password: str
    timeout_s: float
    name: str = "neo4j"

    def check(self) -> ProbeResult:
        try:
            with GraphDatabase.driver(
                self.uri, auth=(self.user, self.password), connection_timeout=self.timeout_s
            ) as driver:
                driver.verify_connectivity()
        except (Neo4jError, Neo4jUnavailable, OSError, ValueError) as error:
            return ProbeResult(self.name, False, type(error).__name__)
        return ProbeResult(self.name, True, "connected")


@dataclass(frozen=True)
class OpenSearchProbe:
    url: str
    timeout_s: float
    name: str = "opensearch"

    def check(self) -> ProbeResult:
        try:
            response = httpx.get(f"{self.url.rstrip('/')}/_cluster/health", timeout=self.timeout_s)
            status = str(response.json().get("status", "")) if response.is_success else ""
        except (httpx.HTTPError, ValueError) as error:
            return ProbeResult(self.name, False, type(error).__name__)
        if status in ("green", "yellow"):
            return ProbeResult(self.name, True, f"cluster {status}")
        return ProbeResult(self.name, False, f"HTTP {response.status_code}, cluster {status or 'unknown'}")


def default_probes(settings: Settings) -> tuple[Probe, ...]:
    return (
        Neo4jProbe(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.probe_timeout_s,
        ),
        OpenSearchProbe(settings.opensearch_url, settings.probe_timeout_s),
    )
