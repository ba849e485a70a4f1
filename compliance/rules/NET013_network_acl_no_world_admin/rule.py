"""Network ACLs do not let the internet reach admin or data-store ports.

A network ACL is evaluated in rule-number order, first match wins, for ingress and egress separately.
An allow for a public range at least as wide as the ingress rules' "world" that covers an admin port
(SSH, RDP, WinRM, Telnet) or a data-store port is an exposure unless a lower-numbered deny for the whole
internet (0.0.0.0/0 or ::/0, same IP version) covers that port first. Inline `ingress` blocks and separate
`aws_network_acl_rule` resources are read together; each is judged where it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compliance.analysis.ingress import is_world, network_of, never_world, port_range
from compliance.analysis.references import companions, targets
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

ADMIN_PORTS = {22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM"}
DATA_PORTS = {
    1433: "SQL Server",
    1521: "Oracle",
    2049: "NFS/EFS",
    3306: "MySQL",
    5432: "PostgreSQL",
    5439: "Redshift",
    6379: "Redis",
    7473: "Neo4j",
    7474: "Neo4j",
    7687: "Neo4j",
    8182: "Neptune",
    9042: "Cassandra",
    9092: "Kafka",
    9200: "OpenSearch",
    9300: "OpenSearch",
    11211: "Memcached",
    27017: "MongoDB/DocumentDB",
}
SENSITIVE = {**ADMIN_PORTS, **DATA_PORTS}
WHOLE = {"0.0.0.0/0": 4, "::/0": 6}
NOT_PORTS = {"icmp", "1", "icmpv6", "58"}
ACL_TYPES = ("aws_network_acl", "aws_default_network_acl")


@dataclass(frozen=True, slots=True)
class Entry:
    """One ingress entry: its number, allow or deny, ports (None: all, Unknown) and source CIDRs."""

    number: Any
    allow: Any
    ports: tuple[int, int] | Unknown | None
    cidrs: tuple[Any, ...]
    where: str
    ipv4: Any = None  # the IPv4-only cidr_block source


def check(resource: Resource, model: Model) -> Result | None:
    if resource.type == "aws_network_acl_rule":
        if resource.values.get("egress") is True:
            return None
        own = _entry(resource.values, "rule_number", "rule_action", resource.address)
        acls = targets(resource.values.get("network_acl_id"), model, *ACL_TYPES)
        context = [e for acl in acls for e in entries(acl, model)] or [own]
        return _judge([own], context)
    return _judge(_inline(resource), entries(resource, model))


def entries(acl: Resource, model: Model) -> list[Entry]:
    """Every ingress entry of an ACL: inline blocks and separate rule resources naming it."""
    found = _inline(acl)
    for other, named in companions(acl, model, "aws_network_acl_rule", "network_acl_id"):
        if named and other.values.get("egress") is not True:
            found.append(_entry(other.values, "rule_number", "rule_action", other.address))
    return found


def _inline(acl: Resource) -> list[Entry]:
    found = blocks(acl.values, "ingress")
    if isinstance(found, Unknown):
        return [Entry(found, found, found, (found,), "ingress")]
    return [_entry(block, "rule_no", "action", f"ingress rule {block.get('rule_no')}") for block in found]


def _entry(values: Mapping[str, Any], number: str, action: str, where: str) -> Entry:
    protocol = values.get("protocol")
    if isinstance(protocol, str) and protocol.lower() in NOT_PORTS:
        ports: tuple[int, int] | Unknown | None = (0, -1)  # ICMP: no port
    else:
        ports = port_range(protocol, values.get("from_port"), values.get("to_port"))
    decision = values.get(action)
    allow = decision if isinstance(decision, Unknown) else str(decision).lower() == "allow"
    found = (values.get(key) for key in ("cidr_block", "ipv6_cidr_block"))
    cidrs = tuple(cidr for cidr in found if isinstance(cidr, Unknown) or cidr not in (None, ""))
    return Entry(values.get(number), allow, ports, cidrs, where, values.get("cidr_block"))


def _judge(judged: list[Entry], context: list[Entry]) -> Result:
    doubts: list[str] = []
    for entry in judged:
        if entry.allow is False:
            continue
        for cidr in entry.cidrs:
            network = network_of(cidr) if isinstance(cidr, str) else None
            if (network is not None and not is_world(network)) or never_world(cidr, _version(cidr, entry)):
                continue
            for port, name in sorted(SENSITIVE.items()):
                covered = _covers(entry.ports, port)
                if covered is False:
                    continue
                if network is None or covered is None or isinstance(entry.allow, Unknown):
                    doubts.append(f"{entry.where} may allow {name} ({port}) from the internet")
                    break
                shadow = _denied_first(entry, port, network.version, context)
                if shadow is True:
                    continue
                if shadow is None:
                    doubts.append(f"{entry.where} allows {name} ({port}) from {cidr} unless an unknown deny")
                    break
                return failed(f"{entry.where} allows {name} (port {port}) from {cidr}")
    if doubts:
        return unknown(f"{doubts[0]}: not known before apply")
    return passed("no ingress entry allows admin or data-store ports from the internet")


def _version(cidr: Any, entry: Entry) -> int | None:
    """4 for the IPv4-only cidr_block argument."""
    return 4 if entry.ipv4 is not None and cidr is entry.ipv4 else None


def _covers(ports: tuple[int, int] | Unknown | None, port: int) -> bool | None:
    if ports is None:
        return True
    if isinstance(ports, Unknown):
        return None
    return ports[0] <= port <= ports[1]


def _denied_first(entry: Entry, port: int, version: int, context: list[Entry]) -> bool | None:
    """Whether a lower-numbered deny for the whole internet covers the port first (None: cannot tell)."""
    if not isinstance(entry.number, int):
        return None
    maybe = False
    for other in context:
        if other.allow is not False and not isinstance(other.allow, Unknown):
            continue
        whole = any(WHOLE.get(c) == version for c in other.cidrs if isinstance(c, str))
        covered = _covers(other.ports, port)
        if not isinstance(other.number, int) or isinstance(other.allow, Unknown) or covered is None:
            maybe = maybe or whole or any(isinstance(c, Unknown) for c in other.cidrs)
            continue
        if whole and covered and other.number < entry.number:
            return True
    return None if maybe else False


RULE = Rule(
    id="NET013",
    title="Network ACLs do not allow admin or data-store ports from the internet",
    severity=Severity.HIGH,
    types=(*ACL_TYPES, "aws_network_acl_rule"),
    rationale="A network ACL is the subnet's outer wall: an allow from 0.0.0.0/0 or ::/0 for SSH, RDP or a "
    "database port leaves only the security group between clinical data and the internet, and a later "
    "security group change exposes it. ACL entries are evaluated by rule number, so a lower-numbered deny "
    "for the whole internet is honoured.",
    remediation="Allow admin and data-store ports only from VPC or named ranges (or not at all: use SSM "
    "Session Manager), or deny them from 0.0.0.0/0 and ::/0 with a lower rule number.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
)
