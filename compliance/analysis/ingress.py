"""What a security group lets in, and what attaches it.

Inline blocks and the separate rule resources are normalised into `Ingress` permissions (IPv4 and IPv6
sources, protocol "-1" meaning every port); a source is "the world" when it is a public range at least
as wide as WORLD_PREFIX. What a group guards is read from what attaches it (load balancers, ECS services,
search domains ...), never from its name. Anything that cannot be read is Unknown, never a guess.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.analysis.partial import HOLE, cidr_prefix, text_with_holes
from compliance.analysis.references import items, references, targets
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Unknown

SG_TYPES = ("aws_security_group", "aws_default_security_group")
SG_RULE_TYPES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)
# Attribute names under which a resource attaches security groups to itself (not rule sources).
ATTACHING_KEYS = frozenset({"security_groups", "vpc_security_group_ids", "security_group_ids"})
# Private, shared and special-use ranges: a source inside one of them is not "the internet".
NON_PUBLIC = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)
# A public source at least this wide counts as the whole internet: 0.0.0.0/1 is half of it, and no
# organisation's own range is wider than a /8 (IPv4) or a /32 (an ISP-sized IPv6 allocation).
WORLD_PREFIX = {4: 8, 6: 32}
# A reference to a VPC or a subnet (managed, default or data source), by its absolute address.
NETWORK_RESOURCE = re.compile(r"(^|\.)aws_(default_)?(vpc|subnet)\.[^.]+$")


@dataclass(frozen=True, slots=True)
class Ingress:
    """One ingress permission, normalised over inline blocks and the two separate rule resources.

    ports is (from, to), None for all ports, or Unknown; cidrs holds literal CIDRs (IPv4 and IPv6) and
    Unknown values; prefix_lists the prefix list ids. Security group and `self` sources are not kept: they
    admit members of a group, never an address range.
    """

    protocol: Any
    ports: tuple[int, int] | Unknown | None
    cidrs: tuple[Any, ...]
    prefix_lists: tuple[Any, ...]
    ipv4: tuple[Any, ...] = ()  # the cidrs given in IPv4-only arguments (cidr_blocks, cidr_ipv4)

    def version(self, cidr: Any) -> int | None:
        """4 when `cidr` came from an IPv4-only argument, else None (the text must tell)."""
        return 4 if any(cidr is given for given in self.ipv4) else None


ALL_PROTOCOLS = {"-1", "all"}


def port_range(protocol: Any, low: Any, high: Any) -> tuple[int, int] | Unknown | None:
    if isinstance(protocol, Unknown):
        return protocol
    if str(protocol).lower() in ALL_PROTOCOLS:
        return None
    if isinstance(low, Unknown) or isinstance(high, Unknown):
        return low if isinstance(low, Unknown) else high
    if low is None and high is None:
        return None
    try:
        return (int(low if low is not None else high), int(high if high is not None else low))
    except (TypeError, ValueError):
        return Unknown(reason="port is not a number")


def _list(value: Any) -> tuple[Any, ...]:
    listed = items(value)
    return (listed,) if isinstance(listed, Unknown) else tuple(listed)


def rule_blocks(resource: Resource, direction: str) -> list[Mapping[str, Any]] | Unknown:
    """A security group's inline `ingress` / `egress` blocks; Unknown when their number is not known.

    A `dynamic` block over a collection known only after apply shows in a plan as one placeholder
    element whose protocol and ports are all unknown: it may stand for no rule or for many.
    """
    found = blocks(resource.values, direction)
    if isinstance(found, Unknown):
        return found
    for block in found:
        if all(_dynamic(block.get(key)) for key in ("protocol", "from_port", "to_port")):
            return Unknown(reason=f"{direction} comes from a dynamic block known only after apply")
    return found


def _dynamic(value: Any) -> bool:
    return isinstance(value, Unknown) and value.dynamic


def ingress_of(resource: Resource) -> tuple[Ingress, ...] | Unknown:
    """The ingress permissions a security group or a rule resource adds (empty for egress rules)."""
    if resource.type in SG_TYPES:
        found = rule_blocks(resource, "ingress")
        if isinstance(found, Unknown):
            return found
        return tuple(_from_block(block) for block in found)
    values = resource.values
    if resource.type == "aws_security_group_rule":
        kind = values.get("type")
        if isinstance(kind, Unknown):
            return kind
        if kind != "ingress":
            return ()
        return (_from_block(values),)
    if resource.type == "aws_vpc_security_group_ingress_rule":
        protocol = values.get("ip_protocol")
        cidrs = tuple(v for v in (values.get("cidr_ipv4"), values.get("cidr_ipv6")) if v is not None)
        prefix = tuple(v for v in (values.get("prefix_list_id"),) if v is not None)
        ports = port_range(protocol, values.get("from_port"), values.get("to_port"))
        ipv4 = tuple(v for v in (values.get("cidr_ipv4"),) if v is not None)
        return (Ingress(protocol, ports, cidrs, prefix, ipv4),)
    return ()


def _from_block(block: Mapping[str, Any]) -> Ingress:
    protocol = block.get("protocol")
    ports = port_range(protocol, block.get("from_port"), block.get("to_port"))
    ipv4 = _list(block.get("cidr_blocks"))
    cidrs = ipv4 + _list(block.get("ipv6_cidr_blocks"))
    return Ingress(protocol, ports, cidrs, _list(block.get("prefix_list_ids")), ipv4)


def network_of(cidr: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A literal CIDR as a network (host bits allowed, as AWS does); None when it is not one."""
    return _parse_network(cidr) if isinstance(cidr, str) else None


@functools.lru_cache(maxsize=4096)
def _parse_network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


def is_world(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    """The internet at large: a public range at least as wide as WORLD_PREFIX (0.0.0.0/0, ::/0,
    0.0.0.0/1, 2000::/3 ...)."""
    if network.prefixlen > WORLD_PREFIX[network.version]:
        return False
    return not any(
        network.version == block.version and network.subnet_of(block)  # type: ignore[arg-type]
        for block in NON_PUBLIC
    )


def never_world(cidr: Any, version: int | None = None) -> bool:
    """A CIDR known only in part (``${aws_eip.nat.public_ip}/32``) whose known prefix length is narrower
    than any world range, whatever its unknown address: longer than /32 (either IP version), or than /8
    when the argument (`version`) or the known text shows an IPv4 address."""
    if _network_range(cidr):
        return True
    found = cidr_prefix(cidr)
    if found is None:
        return False
    prefix, shown = found
    version = version or shown
    return prefix > max(WORLD_PREFIX.values()) or (version == 4 and prefix > WORLD_PREFIX[4])


def _network_range(cidr: Any) -> bool:
    """A VPC's or subnet's own CIDR attribute, read as is: AWS allows VPC blocks of /16 to /28 (IPv6
    /44 to /60) and narrower subnets, never a world-wide range, whatever the address."""
    if not isinstance(cidr, Unknown) or cidr.attribute not in ("cidr_block", "ipv6_cidr_block"):
        return False
    return len(cidr.refs) == 1 and bool(NETWORK_RESOURCE.search(cidr.refs[0]))


def describe_partial(cidr: Any) -> str:
    """A partially known CIDR for messages, its unknown parts shown as ${...}."""
    if _network_range(cidr):
        return f"{cidr.refs[0]}.{cidr.attribute}"
    text = text_with_holes(cidr)
    return "unknown" if text is None else text.replace(HOLE, "${...}")


def security_group_of(resource: Resource, model: Model) -> tuple[Resource, ...]:
    """The security group a rule resource adds to (the group itself for inline rules)."""
    if resource.type in SG_TYPES:
        return (resource,)
    return targets(resource.values.get("security_group_id"), model, *SG_TYPES)


def attachments(group: Resource, model: Model) -> tuple[Resource, ...]:
    """Resources that attach `group` to themselves (LBs, ECS services, instances, domains ...).

    Security groups and their rules only *name* other groups as sources, so they are not attachments.
    """
    return tuple(model.memo("attached", lambda: _attached(model)).get(group.address, ()))


def _attached(model: Model) -> dict[str, list[Resource]]:
    """Resources by the address of each group they attach."""
    attached: dict[str, list[Resource]] = {}
    for resource in model.resources:
        if resource.mode != "managed" or resource.type in SG_TYPES + SG_RULE_TYPES:
            continue
        users = {g.address for v in _attaching_values(resource.values) for g in targets(v, model, *SG_TYPES)}
        for address in users:
            attached.setdefault(address, []).append(resource)
    return attached


def _attaching_values(value: Any) -> Iterator[Any]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in ATTACHING_KEYS:
                yield item
            else:
                yield from _attaching_values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _attaching_values(item)


def vpc_cidrs(vpc: Resource, model: Model, version: int) -> tuple[Any, ...]:
    """The VPC's IPv4 (version 4) or IPv6 (6) blocks: primary and associated. An Amazon-provided IPv6
    block is known only after apply, so it stays an Unknown item."""
    keys = {
        4: ("cidr_block", "aws_vpc_ipv4_cidr_block_association"),
        6: ("ipv6_cidr_block", "aws_vpc_ipv6_cidr_block_association"),
    }
    key, association_type = keys[version]
    found: list[Any] = [vpc.values.get(key)]
    if version == 6 and found[0] is None and vpc.values.get("assign_generated_ipv6_cidr_block") is True:
        found[0] = Unknown(reason="Amazon-provided IPv6 block")
    for association in model.of_type(association_type):
        if references(association.values.get("vpc_id"), vpc, model):
            found.append(association.values.get(key))
    return tuple(c for c in found if c is not None and c != "")


def inside_vpc(cidr: str, vpc: Resource, model: Model) -> bool | Unknown:
    """Whether a literal CIDR lies inside one of the VPC's blocks of its IP version."""
    network = network_of(cidr)
    if network is None:
        return Unknown(reason=f"{cidr!r} is not a CIDR")
    blocks_ = vpc_cidrs(vpc, model, network.version)
    unknown_block: Unknown | None = None
    for block in blocks_:
        outer = network_of(block)
        if outer is None:
            unknown_block = block if isinstance(block, Unknown) else Unknown(reason="not a CIDR")
        elif outer.version == network.version and network.subnet_of(outer):  # type: ignore[arg-type]
            return True
    return unknown_block if unknown_block is not None else False


def describe_ports(permission: Ingress) -> str:
    """ "all ports", "tcp 443" or "udp 1000-2000", for messages."""
    if permission.ports is None:
        return "all ports"
    if isinstance(permission.ports, Unknown):
        return "ports not known before apply"
    low, high = permission.ports
    protocol = str(permission.protocol).lower()
    return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"
