"""Settings and clients for the real Neo4j and OpenSearch servers of the session fixtures."""

from __future__ import annotations

import uuid
from typing import Any

from neo4j import Driver
from opensearchpy import OpenSearch
from pydantic import SecretStr

from emulator.neo4j import Neo4jServer
from emulator.opensearch import OpenSearchServer
from service.settings import Settings
from tests.service.support import api_clients, closed_port
from tools.stores import local_settings


def store_settings(neo4j: Neo4jServer, search: OpenSearchServer, **overrides: Any) -> Settings:
    """Development settings against the real servers, over TLS with their CAs, in an index of its own."""
    values: dict[str, Any] = {
        "api_clients": SecretStr(api_clients()),
        "audit_hmac_key": SecretStr("k" * 32),
        "opensearch_index": f"chunks-{uuid.uuid4().hex[:12]}",
        "probe_timeout_s": 2.0,
        "ready_cache_s": 0.0,
        "trace_export_timeout_s": 1.0,  # no collector here: each app's shutdown gives up after 1 s
    }
    values.update(overrides)
    return local_settings(neo4j, search, **values)


def down(name: str) -> dict[str, Any]:
    """Overrides that point one store at a closed port."""
    if name == "neo4j":
        return {"neo4j_uri": f"bolt://127.0.0.1:{closed_port()}", "neo4j_ca_cert": SecretStr("")}
    return {"opensearch_endpoint": f"http://127.0.0.1:{closed_port()}", "opensearch_ca_cert": ""}


def graph_driver(neo4j: Neo4jServer) -> Driver:
    return neo4j.driver()


def search_client(search: OpenSearchServer) -> OpenSearch:
    assert search.user and search.password and search.ca_cert
    return OpenSearch(
        search.url, http_auth=(search.user, search.password), ca_certs=str(search.ca_cert), verify_certs=True
    )
