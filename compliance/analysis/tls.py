"""Which TLS policies are modern, and what a TCP/UDP pass-through listener shows."""

from __future__ import annotations

import re
from typing import Any

from compliance.analysis.values import describe
from compliance.model import Result, Status, Unknown

# Predefined policy names carry their minimum TLS version: ELBSecurityPolicy-TLS13-1-2-2021-06,
# ELBSecurityPolicy-TLS-1-2-2017-01, ELBSecurityPolicy-FS-1-2-Res-2020-10 (ALB, NLB and classic ELB), and
# Policy-Min-TLS-1-2-PFS-2023-10 (OpenSearch). Older names (ELBSecurityPolicy-2016-08,
# ELBSecurityPolicy-FS-2018-06, Policy-Min-TLS-1-0-2019-07) allow TLS 1.0 and do not match.
_TLS_FLOOR = re.compile(r"^(?:ELBSecurityPolicy-(?:TLS13|TLS|FS)|Policy-Min-TLS)-1-(\d)-")
MINIMUM_TLS_MINOR = 2


def tls_policy(value: Any, attribute: str, default: str) -> Result:
    """Does the named policy (or the AWS default when unset) refuse everything below TLS 1.2?"""
    if isinstance(value, Unknown):
        return Result(Status.UNKNOWN, f"{attribute} is not known before apply")
    if value is None or value == "":
        return Result(Status.FAIL, f"{attribute} is unset: the AWS default {default} allows TLS 1.0")
    match = _TLS_FLOOR.match(str(value))
    if match and int(match.group(1)) >= MINIMUM_TLS_MINOR:
        return Result(Status.PASS, f"{attribute} is {describe(value)} (TLS 1.{match.group(1)}+)")
    return Result(Status.FAIL, f"{attribute} is {describe(value)}, which allows TLS below 1.2")


# Ports registered for a TLS-wrapped protocol: a TCP/UDP pass-through there most likely carries TLS
# end to end, but only the targets can prove it.
TLS_PORTS = {
    443: "HTTPS",
    8443: "HTTPS",
    636: "LDAPS",
    853: "DNS over TLS",
    993: "IMAPS",
    995: "POP3S",
    5671: "AMQPS",
    5986: "WinRM HTTPS",
    6514: "syslog over TLS",
    8883: "MQTT over TLS",
}


def pass_through(protocol: str, port: Any) -> Result:
    """A TCP/UDP listener shows no encryption: UNKNOWN on a TLS port (the targets may terminate TLS),
    FAIL elsewhere."""
    if isinstance(port, Unknown):
        return Result(Status.UNKNOWN, f"protocol {protocol!r} on a port not known before apply")
    if port in TLS_PORTS:
        return Result(
            Status.UNKNOWN,
            f"protocol {protocol!r} passes port {port} ({TLS_PORTS[port]}) through: "
            "only the targets can show that TLS is terminated there",
        )
    return Result(Status.FAIL, f"protocol {protocol!r} on port {describe(port)} carries cleartext")
