"""Which TLS policies are modern, what a TCP/UDP pass-through listener shows, and which SSL negotiation
policies apply to a classic ELB listener."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis import references
from compliance.analysis.references import linked
from compliance.analysis.values import blocks, describe
from compliance.model import Model, Resource, Result, Status, Unknown

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


def classic_negotiation(elb: Resource, port: Any, model: Model) -> list[tuple[str, dict[str, Any]]]:
    """(where, {attribute: value}) of the SSL negotiation policies on a classic ELB listener port:
    aws_lb_ssl_negotiation_policy, or aws_load_balancer_policy assigned by aws_load_balancer_listener_policy."""
    names = (elb.values.get("name"),)
    found: list[tuple[str, dict[str, Any]]] = []
    direct, _ = linked(elb, model, ("aws_lb_ssl_negotiation_policy",), "load_balancer", names)
    found += [
        (p.address, _attributes(p.values, "attribute")) for p in direct if p.values.get("lb_port") == port
    ]
    assigned, _ = linked(elb, model, ("aws_load_balancer_listener_policy",), "load_balancer_name", names)
    for listener_policy in assigned:
        if listener_policy.values.get("load_balancer_port") != port:
            continue
        for policy in _named_policies(listener_policy.values.get("policy_names"), model):
            if policy.values.get("policy_type_name") == "SSLNegotiationPolicyType":
                found.append((policy.address, _attributes(policy.values, "policy_attribute")))
    return found


def _named_policies(value: Any, model: Model) -> Iterator[Resource]:
    items = value if isinstance(value, list | tuple) else [value]
    for policy in model.of_type("aws_load_balancer_policy"):
        if any(references.names(item, policy, model, ("policy_name",)) for item in items):
            yield policy


def _attributes(values: Mapping[str, Any], block: str) -> dict[str, Any]:
    found = blocks(values, block)
    return {} if isinstance(found, Unknown) else {str(a.get("name")): a.get("value") for a in found}
