"""Who owns a KMS key: customer-managed, AWS-managed (alias/aws/...), or any key at all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from compliance.analysis.values import describe, is_set
from compliance.model import Model, Result, Status, Unknown

# AWS-managed keys are addressed by the reserved alias prefix alias/aws/ (alias/aws/s3, alias/aws/rds...).
_AWS_MANAGED_ALIAS = re.compile(r"(^|:)alias/aws/")
# Data sources that look up an existing key by a name we can read statically.
_KEY_LOOKUPS = {"aws_kms_alias": "name", "aws_kms_key": "key_id"}


def customer_managed_key(value: Any, attribute: str, model: Model) -> Result:
    """Is `value` a customer-managed KMS key? Unset means the service's AWS-managed (or AWS-owned) key;
    an alias under alias/aws/ (literal or looked up by a data source) is AWS-managed too."""
    if isinstance(value, Unknown):
        if not value.refs:
            return Result(Status.UNKNOWN, f"{attribute} is not known before apply")
        if not any(model.resolve(ref) for ref in value.refs):
            return Result(Status.UNKNOWN, f"{attribute} references {value.refs[0]}, which is not in the scan")
        managed = _aws_managed_lookup(value.refs, model)
        if managed:
            return Result(Status.FAIL, f"{attribute} looks up the AWS-managed key {managed!r}")
        return Result(Status.PASS, f"{attribute} references {value.refs[0]}")
    if is_set(value) is Status.FAIL:
        return Result(Status.FAIL, f"{attribute} is {describe(value)}: the AWS-managed key is used")
    if not isinstance(value, str):
        return Result(Status.UNKNOWN, f"{attribute} is {describe(value)}, not a key id")
    if _AWS_MANAGED_ALIAS.search(value):
        return Result(Status.FAIL, f"{attribute} is the AWS-managed key {describe(value)}")
    return Result(Status.PASS, f"{attribute} is {describe(value)}")


def _aws_managed_lookup(refs: Iterable[str], model: Model) -> str:
    """The alias/aws/... name a referenced kms data source looks up, or ''."""
    for ref in refs:
        for found in model.resolve(ref):
            name = found.values.get(_KEY_LOOKUPS.get(found.type, ""))
            if found.mode == "data" and isinstance(name, str) and _AWS_MANAGED_ALIAS.search(name):
                return name
    return ""


def key_is_set(value: Any, attribute: str) -> Result:
    """Any KMS key (AWS-managed accepted): for transient data (queues, topics, streams)."""
    status = is_set(value)
    if status is Status.UNKNOWN:
        return Result(status, f"{attribute} is not known before apply")
    if isinstance(value, Unknown):
        return Result(status, f"{attribute} references {value.refs[0]}")
    return Result(status, f"{attribute} is {describe(value)}")
