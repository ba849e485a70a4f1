"""DynamoDB tables and their replicas encrypt with a customer-managed KMS key.

Every table is encrypted, by default with an AWS-owned key that no key policy, audit trail or revocation
of ours reaches; `enabled = true` without kms_key_arn means the AWS-managed aws/dynamodb key. For health
data (PIPEDA 4.7.2) both fail: only a customer-managed key passes, on the table and on every replica.
"""

from __future__ import annotations

from collections.abc import Iterator

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.results import combine, switch
from compliance.analysis.values import blocks, describe
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _table(resource: Resource, model: Model) -> Result:
    enabled, config = switch(resource, "server_side_encryption", "enabled")
    if enabled.status is Status.FAIL:
        return Result(Status.FAIL, f"{enabled.message}: the AWS-owned key is used")
    if enabled.status is Status.UNKNOWN:
        return enabled
    return customer_managed_key(config.get("kms_key_arn"), "server_side_encryption.kms_key_arn", model)


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
