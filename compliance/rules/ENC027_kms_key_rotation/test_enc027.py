"""ENC027: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Status, Unknown
from compliance.rules.ENC027_kms_key_rotation.rule import RULE as ENC027
from compliance.rules.kit import resource, status


def test_kms_key_with_unknown_spec_is_unknown_not_an_error() -> None:
    key = resource("aws_kms_key.k", {"customer_master_key_spec": Unknown(), "enable_key_rotation": True})
    assert status(ENC027, key) is Status.UNKNOWN
