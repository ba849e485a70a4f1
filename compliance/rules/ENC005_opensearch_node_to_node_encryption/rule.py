"""OpenSearch and Elasticsearch domains encrypt the traffic between their nodes."""

from __future__ import annotations

from compliance.analysis.results import switch
from compliance.model import Model, Resource, Result, Rule, Severity


def check(resource: Resource, model: Model) -> Result:
    return switch(resource, "node_to_node_encryption", "enabled")[0]


RULE = Rule(
    id="ENC005",
    title="OpenSearch domain encrypts node-to-node traffic",
    severity=Severity.HIGH,
    types=("aws_opensearch_domain", "aws_elasticsearch_domain"),
    rationale="Shards and queries of clinical notes move between data nodes inside the VPC; without "
    "node-to-node encryption that traffic is cleartext. It is off unless configured.",
    remediation="Add node_to_node_encryption { enabled = true }.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
)
