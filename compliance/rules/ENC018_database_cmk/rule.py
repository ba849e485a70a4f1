"""Encrypted database storage uses a customer-managed KMS key, not the AWS-managed aws/rds key.

A replica or restore that names no key keeps its source's key, so the source decides (UNKNOWN when it is
not in the scan). Unencrypted storage is ENC014-ENC017's finding; here it is not applicable (None).
"""

from __future__ import annotations

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.storage import copy_source, storage_encrypted
from compliance.analysis.values import is_set
from compliance.model import Model, Resource, Result, Rule, Severity, Status

KEY_ATTRIBUTE = {"aws_neptune_cluster": "kms_key_arn"}


def _key(resource: Resource, model: Model) -> Result:
    attribute = KEY_ATTRIBUTE.get(resource.type, "kms_key_id")
    value = resource.values.get(attribute)
    copied = copy_source(resource, model) if is_set(value) is Status.FAIL else None
    if copied is None:
        return customer_managed_key(value, attribute, model)
    where, source = copied
    if source is None:
        return Result(Status.UNKNOWN, f"{attribute} is unset: the key of {where} applies")
    inner = _key(source, model)
    return Result(inner.status, f"a copy of {where}: {inner.message}")


def check(resource: Resource, model: Model) -> Result | None:
    key = _key(resource, model)
    if key.status is Status.PASS or resource.values.get("engine_mode") == "serverless":
        return key
    return None if storage_encrypted(resource, model).status is Status.FAIL else key


RULE = Rule(
    id="ENC018",
    title="Database storage is encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    types=("aws_db_instance", "aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"),
    rationale="Health data warrants the stronger safeguard: with the AWS-managed aws/rds key, snapshots "
    "cannot be shared or restricted by key policy and key use cannot be revoked; a customer-managed key "
    "can, and its CloudTrail record shows every decrypt.",
    remediation="Set kms_key_id (kms_key_arn for Neptune) to aws_kms_key.<name>.arn when creating the "
    "database; the key cannot be changed afterwards.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.2", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
)
