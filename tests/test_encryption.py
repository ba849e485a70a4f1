"""ENC cases the fixture harness cannot plan offline (remote data sources, other regions' defaults) and
the shared helpers' tables, on in-memory resources."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.analysis.kms import customer_managed_key
from compliance.analysis.results import worst
from compliance.analysis.tls import tls_policy
from compliance.model import Model, Result, Status, Unknown
from compliance.rules.kit import ref, resource


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("ELBSecurityPolicy-TLS13-1-2-2021-06", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-3-2021-06", Status.PASS),
        ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", Status.PASS),
        ("ELBSecurityPolicy-FS-1-2-Res-2020-10", Status.PASS),
        ("Policy-Min-TLS-1-2-PFS-2023-10", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-1-2021-06", Status.FAIL),
        ("ELBSecurityPolicy-TLS13-1-0-2021-06", Status.FAIL),
        ("ELBSecurityPolicy-TLS-1-1-2017-01", Status.FAIL),
        ("ELBSecurityPolicy-FS-2018-06", Status.FAIL),
        ("ELBSecurityPolicy-2016-08", Status.FAIL),
        ("Policy-Min-TLS-1-0-2019-07", Status.FAIL),
        (None, Status.FAIL),
        (Unknown(), Status.UNKNOWN),
    ],
)
def test_tls_policy_floor_comes_from_the_name(policy: Any, expected: Status) -> None:
    assert tls_policy(policy, "ssl_policy", "ELBSecurityPolicy-2016-08").status is expected


def test_key_looked_up_by_aws_managed_alias_is_aws_managed() -> None:
    alias = resource("data.aws_kms_alias.s3", {"name": "alias/aws/s3"})
    result = customer_managed_key(ref("data.aws_kms_alias.s3"), "kms_master_key_id", Model((alias,)))
    assert result.status is Status.FAIL
    assert "alias/aws/s3" in result.message


def test_key_looked_up_by_customer_alias_is_customer_managed() -> None:
    key = resource("data.aws_kms_key.notes", {"key_id": "alias/notegen-notes"})
    assert (
        customer_managed_key(ref("data.aws_kms_key.notes"), "kms_key_id", Model((key,))).status is Status.PASS
    )


def test_unknown_key_without_references_is_unknown() -> None:
    assert customer_managed_key(Unknown(), "kms_key_id", Model(())).status is Status.UNKNOWN


def test_worst_keeps_every_message_of_the_worst_status() -> None:
    results = [
        Result(Status.PASS, "a"),
        Result(Status.FAIL, "b"),
        Result(Status.UNKNOWN, "c"),
        Result(Status.FAIL, "d"),
    ]
    assert worst(results) == Result(Status.FAIL, "b; d")
