"""Neo4j containers accept only TLS: Bolt with TLS required, plaintext HTTP off (HTTPS with its policy).

Read from the Neo4j 5 settings the official image takes as environment variables (NEO4J_ + the setting,
dots as _, underscores doubled); the 4.x names of the Bolt settings are accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.transit import containers, environment, is_neo4j, label
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

BOLT_LEVEL = ("NEO4J_server_bolt_tls__level", "NEO4J_dbms_connector_bolt_tls__level")
BOLT_POLICY = "NEO4J_dbms_ssl_policy_bolt_enabled"
HTTP = ("NEO4J_server_http_enabled", "NEO4J_dbms_connector_http_enabled")
HTTPS = ("NEO4J_server_https_enabled", "NEO4J_dbms_connector_https_enabled")
HTTPS_POLICY = "NEO4J_dbms_ssl_policy_https_enabled"


def _problems(settings: Mapping[str, Any]) -> list[str]:
    def first(names: tuple[str, ...], default: str) -> str:
        return str(next((settings[n] for n in names if n in settings), default)).lower()

    problems = []
    if first(BOLT_LEVEL, "DISABLED") != "required":
        problems.append(f"Bolt TLS level is {first(BOLT_LEVEL, 'DISABLED (default)')}, not REQUIRED")
    if str(settings.get(BOLT_POLICY, "false")).lower() != "true":
        problems.append("the bolt SSL policy is not enabled (no certificate for Bolt)")
    if first(HTTP, "true") != "false":
        problems.append("plaintext HTTP is enabled (default); set NEO4J_server_http_enabled=false")
    if first(HTTPS, "false") == "true" and str(settings.get(HTTPS_POLICY, "false")).lower() != "true":
        problems.append("HTTPS is on without the https SSL policy")
    return problems


def check(resource: Resource, model: Model) -> Result | None:
    found = containers(resource.values.get("container_definitions"))
    if isinstance(found, Unknown):
        return unknown("container_definitions is not known before apply")
    if found is None:
        return None
    judged = [c for c in found if is_neo4j(c)]
    if not judged:
        return None
    problems: list[str] = []
    for container in judged:
        pairs = list(environment(container))
        if any(isinstance(v, Unknown) for pair in pairs for v in pair):
            return unknown(f"{label(container)}: its environment is not known before apply")
        settings = {name: value for name, value in pairs if isinstance(name, str)}
        problems.extend(f"{label(container)}: {p}" for p in _problems(settings))
    if problems:
        return failed("; ".join(problems))
    return passed("Neo4j requires TLS on Bolt and serves no plaintext HTTP")


RULE = Rule(
    id="ENC032",
    title="Neo4j container requires TLS on Bolt and serves no plaintext HTTP",
    severity=Severity.HIGH,
    types=("aws_ecs_task_definition",),
    rationale="The API and the rotation Lambda send clinical graph queries and credentials to Neo4j inside "
    "the VPC; with Bolt TLS optional or HTTP on, any client can talk to it in plaintext.",
    remediation="Set NEO4J_server_bolt_tls__level=REQUIRED, NEO4J_dbms_ssl_policy_bolt_enabled=true, "
    "NEO4J_server_http_enabled=false (and, for HTTPS, NEO4J_server_https_enabled=true with "
    "NEO4J_dbms_ssl_policy_https_enabled=true), with the certificate mounted under /ssl.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7", "4.7.3")},
    check=check,
    help_uri="https://neo4j.com/docs/operations-manual/current/security/ssl-framework/",
)
