"""ENC022: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from compliance.model import Status, Unknown
from compliance.rules.ENC022_sqs_encrypted.rule import RULE as ENC022
from compliance.rules.kit import resource, status


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, Status.FAIL),  # HCL: nothing stated
        ({"sqs_managed_sse_enabled": Unknown()}, Status.UNKNOWN),  # plan: the provider computes it
        ({"sqs_managed_sse_enabled": Unknown(), "kms_master_key_id": "alias/aws/sqs"}, Status.PASS),
    ],
)
def test_sqs_default_is_not_evidence(values: Mapping[str, Any], expected: Status) -> None:
    queue = resource("aws_sqs_queue.q", values)
    assert status(ENC022, queue) is expected
