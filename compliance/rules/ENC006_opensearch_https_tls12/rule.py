"""OpenSearch and Elasticsearch domains accept only HTTPS, with a TLS 1.2+ security policy."""

from __future__ import annotations

from compliance.analysis.results import switch
from compliance.analysis.tls import tls_policy
from compliance.model import Model, Resource, Result, Rule, Severity, Status

AWS_DEFAULT = "Policy-Min-TLS-1-0-2019-07"


def check(resource: Resource, model: Model) -> Result:
    enforced, options = switch(resource, "domain_endpoint_options", "enforce_https")
    if enforced.status is not Status.PASS:
        return enforced
    policy = options.get("tls_security_policy")
    result = tls_policy(policy, "domain_endpoint_options.tls_security_policy", AWS_DEFAULT)
    return Result(result.status, f"enforce_https is true; {result.message}")


RULE = Rule(
    id="ENC006",
    title="OpenSearch domain enforces HTTPS with TLS 1.2 or later",
    severity=Severity.HIGH,
    types=("aws_opensearch_domain", "aws_elasticsearch_domain"),
    rationale="Clients send clinical notes to the domain endpoint. Unless enforce_https is set the endpoint "
    "also answers plain HTTP, and unless tls_security_policy is set AWS applies "
    "Policy-Min-TLS-1-0-2019-07, which accepts TLS 1.0 and 1.1.",
    remediation="Set domain_endpoint_options { enforce_https = true, tls_security_policy = "
    '"Policy-Min-TLS-1-2-PFS-2023-10" } (or "Policy-Min-TLS-1-2-2019-07").',
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
)
