"""A Lambda function whose code the configuration shows (a local zip or file, a data "archive_file") reaches
data stores only over TLS: no bolt://, neo4j:// or plaintext http:// data-store URL in that code."""

from __future__ import annotations

from compliance.analysis.lambda_code import endpoints, function_code
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result | None:
    code = function_code(resource, model)
    if code is None:
        return None
    if isinstance(code, Unknown):
        return unknown(f"the function's code cannot be read: {code.reason}")
    ports = {"neo4j": model.settings.neo4j_ports, "search": model.settings.search_ports}
    found = list(endpoints(code, ports))
    plaintext = [f"{e.where} {e.url}" for e in found if e.plaintext]
    if plaintext:
        return failed("plaintext data-store endpoint in the code: " + "; ".join(plaintext))
    read = f"{len(code.files)} files of {code.origin}"
    tls = len(found)
    return passed(f"no plaintext data-store endpoint in {read}" + (f" ({tls} over TLS)" if tls else ""))


RULE = Rule(
    id="ENC034",
    title="Lambda code reaches data stores only over TLS",
    severity=Severity.HIGH,
    types=("aws_lambda_function",),
    rationale="A function that opens bolt://, neo4j:// or http:// to a data store sends queries, health data "
    "and credentials in plaintext across the VPC, whatever its environment says: the URL written in the "
    "code is the one it uses.",
    remediation="Use bolt+s:// or neo4j+s:// for Neo4j and https:// (with certificate verification) for "
    "HTTP APIs such as OpenSearch and Neo4j's HTTP API, and read the endpoint from configuration.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7", "4.7.3")},
    check=check,
    help_uri="https://neo4j.com/docs/python-manual/current/connect-advanced/",
)
