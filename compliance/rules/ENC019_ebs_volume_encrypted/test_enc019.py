"""ENC019: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.model import Status, Unknown
from compliance.rules.ENC019_ebs_volume_encrypted.rule import RULE as ENC019
from compliance.rules.kit import resource, status


@pytest.mark.parametrize(
    ("default_region", "expected"),
    [("ca-central-1", Status.PASS), ("ca-west-1", Status.FAIL), (Unknown(), Status.UNKNOWN)],
)
def test_ebs_account_default_applies_in_its_region_only(default_region: Any, expected: Status) -> None:
    volume = resource("aws_ebs_volume.v", {"encrypted": False})
    default = resource("aws_ebs_encryption_by_default.this", {"enabled": True}, region=default_region)
    assert status(ENC019, volume, default) is expected
