"""NET013: rule order, unknown entries and wide-but-not-whole ranges (built with the rule kit)."""

from __future__ import annotations

from typing import Any

from compliance.model import Status, Unknown
from compliance.rules.kit import resource, status
from compliance.rules.NET013_network_acl_no_world_admin.rule import RULE as NET013


def entry(number: Any, action: Any, cidr: Any, low: Any = 22, high: Any = 22) -> dict[str, Any]:
    return {
        "rule_no": number,
        "action": action,
        "protocol": "tcp",
        "cidr_block": cidr,
        "from_port": low,
        "to_port": high,
    }


def acl(*entries: dict[str, Any]) -> Status:
    return status(NET013, resource("aws_network_acl.a", {"ingress": list(entries)}))


def test_half_the_internet_is_the_internet() -> None:
    assert acl(entry(100, "allow", "0.0.0.0/1")) is Status.FAIL


def test_only_a_lower_numbered_deny_of_the_whole_internet_shadows() -> None:
    assert acl(entry(100, "allow", "0.0.0.0/0"), entry(110, "deny", "0.0.0.0/0")) is Status.FAIL
    assert acl(entry(100, "allow", "0.0.0.0/0"), entry(90, "deny", "203.0.113.0/24")) is Status.FAIL
    assert acl(entry(100, "allow", "0.0.0.0/0"), entry(90, "deny", "::/0")) is Status.FAIL
    assert acl(entry(100, "allow", "0.0.0.0/0"), entry(90, "deny", "0.0.0.0/0", 0, 65535)) is Status.PASS


def test_unknown_parts_that_could_matter_are_unknown() -> None:
    assert acl(entry(100, Unknown(), "0.0.0.0/0")) is Status.UNKNOWN
    assert acl(entry(100, "allow", "0.0.0.0/0", Unknown(), Unknown())) is Status.UNKNOWN
    assert acl(entry(100, "allow", "0.0.0.0/0"), entry(Unknown(), "deny", "0.0.0.0/0")) is Status.UNKNOWN


def test_icmp_and_private_sources_open_no_port() -> None:
    icmp = {**entry(100, "allow", "0.0.0.0/0", -1, -1), "protocol": "icmp"}
    assert acl(icmp, entry(110, "allow", "10.0.0.0/8", 0, 65535)) is Status.PASS
