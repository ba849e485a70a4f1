"""OpenSearch and Elasticsearch domains encrypt indices, logs and swap at rest with our own KMS key."""

from __future__ import annotations

from compliance.encryption import customer_managed_key
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown
from compliance.values import blocks, describe, truth


def check(resource: Resource, model: Model) -> Result:
    configs = blocks(resource.values, "encrypt_at_rest")
    if isinstance(configs, Unknown):
        return Result(Status.UNKNOWN, "encrypt_at_rest is not known before apply")
    if not configs:
        return Result(
            Status.FAIL, "encrypt_at_rest is not configured: the domain is not encrypted with our key"
        )
    enabled = configs[0].get("enabled")
    status = truth(enabled)
    if status is not Status.PASS:
        return Result(status, f"encrypt_at_rest.enabled is {describe(enabled)}")
    key = customer_managed_key(configs[0].get("kms_key_id"), "encrypt_at_rest.kms_key_id", model)
    return Result(key.status, f"encrypt_at_rest.enabled is true; {key.message}")


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
