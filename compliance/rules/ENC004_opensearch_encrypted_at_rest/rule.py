"""OpenSearch and Elasticsearch domains encrypt indices, logs and swap at rest with our own KMS key."""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.results import switch
from compliance.model import Model, Resource, Result, Rule, Severity, Status


def check(resource: Resource, model: Model) -> Result:
    enabled, config = switch(resource, "encrypt_at_rest", "enabled")
    if enabled.status is not Status.PASS:
        return enabled
    key = customer_managed_key(config.get("kms_key_id"), "encrypt_at_rest.kms_key_id", model)
    return Result(key.status, f"{enabled.message}; {key.message}")


RULE = Rule(
    id="ENC004",
    title="OpenSearch domain encrypts data at rest with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_opensearch_domain", "aws_elasticsearch_domain"),
    rationale="The search domain indexes clinical notes. Encryption at rest is off unless configured, and "
    "without kms_key_id it uses the AWS-managed aws/es key, whose use we can neither restrict nor revoke.",
    remediation="Add encrypt_at_rest { enabled = true, kms_key_id = aws_kms_key.<name>.arn }.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
)
