"""DynamoDB tables and their replicas encrypt with a customer-managed KMS key.

Every table is encrypted, by default with an AWS-owned key that no key policy, audit trail or revocation
of ours reaches; `enabled = true` without kms_key_arn means the AWS-managed aws/dynamodb key. For health
data (PIPEDA 4.7.2) both fail: only a customer-managed key passes, on the table and on every replica.
"""

from __future__ import annotations

from collections.abc import Iterator

from compliance.encryption import combine, customer_managed_key
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown
from compliance.values import blocks, describe, truth


def _table(resource: Resource, model: Model) -> Result:
    configs = blocks(resource.values, "server_side_encryption")
    if isinstance(configs, Unknown):
        return Result(Status.UNKNOWN, "server_side_encryption is not known before apply")
    if not configs:
        return Result(Status.FAIL, "server_side_encryption is not configured: AWS-owned key")
    enabled = configs[0].get("enabled")
    status = truth(enabled)
    if status is not Status.PASS:
        return Result(status, f"server_side_encryption.enabled is {describe(enabled)} (AWS-owned key)")
    return customer_managed_key(configs[0].get("kms_key_arn"), "server_side_encryption.kms_key_arn", model)


def _replicas(resource: Resource, model: Model) -> Iterator[Result]:
    replicas = blocks(resource.values, "replica")
    if isinstance(replicas, Unknown):
        yield Result(Status.UNKNOWN, "replica is not known before apply")
        return
    for replica in replicas:
        key = customer_managed_key(replica.get("kms_key_arn"), "kms_key_arn", model)
        yield Result(key.status, f"replica {describe(replica.get('region_name'))}: {key.message}")


def check(resource: Resource, model: Model) -> Result | None:
    return combine([_table(resource, model), *_replicas(resource, model)])


RULE = Rule(
    id="ENC024",
    title="DynamoDB table encrypts data with a customer-managed KMS key",
    severity=Severity.HIGH,
    types=("aws_dynamodb_table",),
    rationale="Tables hold sessions, note metadata and identifiers: health data. The default AWS-owned key "
    "and the AWS-managed aws/dynamodb key cannot be restricted, audited per use or revoked by us.",
    remediation="Add server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.<name>.arn } and "
    "kms_key_arn on every replica block (a key in the replica's region).",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
)
