"""Clients reach data stores over TLS: no bolt://, neo4j:// or plaintext http:// data-store endpoint in a
task definition's environment, a Lambda's environment or an SSM parameter the services read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from compliance.analysis.transit import (
    containers,
    endpoint_status,
    environment,
    label,
    names_datastore,
    shown,
)
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _settings(resource: Resource) -> Iterator[tuple[str, Any, Any]] | Unknown:
    """(where, name, value) of every client setting of the resource."""
    values = resource.values
    if resource.type == "aws_ssm_parameter":
        value = values.get("insecure_value")
        if value is None:
            value = values.get("value")
            if "value" in resource.sensitive and names_datastore(values.get("name")):
                value = Unknown(reason="value is sensitive (keep endpoints in insecure_value)")
        return iter([("value", values.get("name"), value)])
    if resource.type == "aws_lambda_function":
        found = blocks(values, "environment")
        if isinstance(found, Unknown):
            return found
        variables = [b.get("variables") for b in found]
        if any(isinstance(v, Unknown) for v in variables):
            return Unknown(reason="environment.variables is not known before apply")
        return ((f"environment {k}", k, v) for m in variables if isinstance(m, dict) for k, v in m.items())
    listed = containers(values.get("container_definitions"))
    if isinstance(listed, Unknown):
        return listed
    return (
        (f"{label(c)}: environment {name}", name, value)
        for c in listed or ()
        for name, value in environment(c)
    )


def _judge(settings: Iterable[tuple[str, Any, Any]]) -> Result | None:
    plaintext, doubtful, encrypted = [], [], []
    for where, name, value in settings:
        status = endpoint_status(name, value)
        if status == "plaintext":
            plaintext.append(f"{where} is {shown(value)}")
        elif status == "unknown":
            doubtful.append(where)
        elif status == "tls":
            encrypted.append(where)
    if plaintext:
        return failed("plaintext data-store endpoint: " + "; ".join(plaintext))
    if doubtful:
        return unknown("data-store endpoint not known before apply: " + ", ".join(doubtful))
    if encrypted:
        return passed("data-store endpoints use TLS: " + ", ".join(encrypted))
    return None


def check(resource: Resource, model: Model) -> Result | None:
    settings = _settings(resource)
    if isinstance(settings, Unknown):
        return unknown(settings.reason or "the client settings are not known before apply")
    return _judge(settings)


RULE = Rule(
    id="ENC033",
    title="Clients reach data stores only over TLS",
    severity=Severity.HIGH,
    types=("aws_ecs_task_definition", "aws_lambda_function", "aws_ssm_parameter"),
    rationale="A bolt://, neo4j:// or http:// endpoint sends queries, health data and credentials to the "
    "data store in plaintext across the VPC, whatever the server offers.",
    remediation="Point clients at bolt+s:// or neo4j+s:// for Neo4j and https:// for HTTP APIs (OpenSearch, "
    "Neo4j's HTTP API), and require TLS on the server.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7", "4.7.3")},
    check=check,
    help_uri="https://neo4j.com/docs/python-manual/current/connect-advanced/",
)
