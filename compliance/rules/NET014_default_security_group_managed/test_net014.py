"""NET014: the unknown case, which would turn the fixtures' fail cases unknown too."""

from __future__ import annotations

from compliance.model import Status, Unknown
from compliance.rules.kit import ref, resource, status
from compliance.rules.NET014_default_security_group_managed.rule import RULE as NET014

VPC = resource("aws_vpc.main", {"cidr_block": "10.0.0.0/16"})


def test_a_default_group_of_an_unknown_vpc_may_be_this_ones() -> None:
    group = resource("aws_default_security_group.g", {"vpc_id": Unknown(reason="computed")})
    assert status(NET014, VPC, group) is Status.UNKNOWN


def test_a_default_group_of_another_vpc_does_not_count() -> None:
    other = resource("aws_vpc.other", {"cidr_block": "10.1.0.0/16"})
    group = resource("aws_default_security_group.g", {"vpc_id": ref(other.address)})
    assert status(NET014, VPC, other, group) is Status.FAIL
    assert status(NET014, other, VPC, group) is Status.PASS
