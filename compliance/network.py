"""Shared network analysis: which subnets are public, and what a security group lets in.

A subnet is public when the route table it uses has a route to an internet gateway. Which table it uses
is computed the way AWS does it: an explicit `aws_route_table_association`, otherwise the main route
table of its VPC (`aws_main_route_table_association`, otherwise the VPC's default route table, managed by
`aws_default_route_table` or left with only the local route). Names and tags play no part. Any route to an
internet gateway counts, whatever its destination: AWS calls such a subnet public, and hosts in it with a
public address are reachable from that destination. Egress-only internet gateways, NAT gateways, VPN and
transit gateways give no inbound path from the internet, so they do not make a subnet public.

Security groups: inline blocks and the separate rule resources are normalised into `Ingress` permissions
(IPv4 and IPv6 sources, protocol "-1" meaning every port); a source is "the world" when it is a public
range at least as wide as WORLD_PREFIX. What a group guards is read from what attaches it (load
balancers, ECS services, search domains ...), never from its name.

Everything here is three-valued: a link that cannot be followed (a literal subnet id of another stack, a
reference to a data source, an association whose subnet is unknown) makes the answer UNKNOWN, never a
guess. Links are followed through the references of Unknown values and, for resources already applied,
through literal ids and ARNs equal to a resource's own. In plan form an optional+computed attribute that
the configuration leaves unset is an unknown without references; `configured` reads it as unset, as HCL
does.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from compliance.model import Model, Origin, Resource, Result, Status, Unknown, failed, passed, unknown
from compliance.values import blocks, decoded_json, describe, truth

IGW_TYPES = ("aws_internet_gateway",)
LB_TYPES = ("aws_lb", "aws_alb", "aws_elb")
SG_TYPES = ("aws_security_group", "aws_default_security_group")
SG_RULE_TYPES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)
# Neo4j's HTTPS, HTTP and Bolt ports: reachable only from inside the VPC or from the app's group.
NEO4J_PORTS = (7473, 7474, 7687)
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


class Placement(StrEnum):
    """Where a subnet (or a set of them) sits."""

    PUBLIC = "public"
    PRIVATE = "private"
    UNKNOWN = "unknown"


def worst(placements: Iterable[Placement]) -> Placement:
    """One public subnet makes a set public; otherwise one unknown makes it unknown."""
    found = set(placements)
    if Placement.PUBLIC in found:
        return Placement.PUBLIC
    if Placement.UNKNOWN in found:
        return Placement.UNKNOWN
    return Placement.PRIVATE


def refs_in(value: Any) -> tuple[str, ...]:
    """Every reference carried by Unknown values anywhere inside `value`."""
    found: list[str] = []
    if isinstance(value, Unknown):
        found.extend(value.refs)
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(refs_in(item))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(refs_in(item))
    return tuple(found)


def targets(value: Any, model: Model, *types: str) -> tuple[Resource, ...]:
    """Resources of `types` that a value points at: through the references of Unknown values, or by a
    literal id or ARN equal to a resource's own (an already-applied resource in a plan)."""
    seen: dict[str, Resource] = {}
    for resource in _pointed_at(value, model):
        if not types or resource.type in types:
            seen[resource.address] = resource
    return tuple(seen.values())


def references(value: Any, resource: Resource, model: Model) -> bool:
    """Whether `value` points at `resource` (an exact instance or its whole counted resource)."""
    return any(r.address == resource.address for r in _pointed_at(value, model))


def _pointed_at(value: Any, model: Model) -> Iterator[Resource]:
    for ref in refs_in(value):
        yield from model.resolve(ref)
    index = _index(model)
    for text in _strings(value):
        yield from index.by_id.get(text, ())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def unresolved(value: Any) -> bool:
    """An unknown value with no reference: nothing tells what it points at."""
    return isinstance(value, Unknown) and not value.refs


@dataclass
class _Index:
    """Lookups built once per model: resources by their known id or ARN, and who attaches each group."""

    model: Model
    by_id: dict[str, list[Resource]] = field(default_factory=dict)
    attached: dict[str, list[Resource]] | None = None
    placements: dict[str, Placement] = field(default_factory=dict)
    pointers: dict[tuple[str, str], dict[str, list[Resource]]] = field(default_factory=dict)

    def pointing(self, kind: str, key: str) -> dict[str, list[Resource]]:
        """Resources of `kind` by the address their `key` attribute points at (UNRESOLVED: unknown)."""
        found = self.pointers.get((kind, key))
        if found is None:
            found = {}
            for resource in self.model.of_type(kind):
                value = resource.values.get(key)
                if unresolved(value):
                    found.setdefault(UNRESOLVED, []).append(resource)
                for target in {r.address for r in targets(value, self.model)}:
                    found.setdefault(target, []).append(resource)
            self.pointers[(kind, key)] = found
        return found


UNRESOLVED = "(unresolved)"


def _index(model: Model) -> _Index:
    return model.memo("network", lambda: _build_index(model))


def _build_index(model: Model) -> _Index:
    index = _Index(model)
    for resource in model.resources:
        for key in ("id", "arn"):
            value = resource.values.get(key)
            if isinstance(value, str) and value:
                index.by_id.setdefault(value, []).append(resource)
    return index


def configured(resource: Resource, key: str) -> Any:
    """An attribute as the configuration sets it, None when unset, in both forms.

    A plan marks an optional+computed attribute that the configuration leaves unset (aws_lb.internal,
    publicly_accessible, subnet group names ...) as unknown, and the plan loader gives it no references
    because no expression stands behind it. Only an impure function (timestamp(), uuid()) gives the same
    picture otherwise, so it reads as unset and the provider's documented default applies, as in HCL.
    """
    value = resource.values.get(key)
    return None if left_unset(resource, value) else value


def configured_blocks(resource: Resource, name: str) -> list[Mapping[str, Any]] | Unknown:
    """Nested blocks as configured ([] when the configuration has none, in both forms)."""
    return blocks({name: configured(resource, name)}, name)


def left_unset(resource: Resource, value: Any) -> bool:
    """Whether a value (at any depth) is a plan's computed stand-in for an unset attribute (see configured)."""
    return resource.origin is Origin.PLAN and isinstance(value, Unknown) and not value.refs


def _items(value: Any) -> list[Any] | Unknown:
    """A list-valued attribute as a list; an unknown list as Unknown."""
    if isinstance(value, Unknown):
        return value
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


# ---------------------------------------------------------------- route tables and subnets


def _gateway_is_igw(gateway: Any, model: Model) -> Placement:
    """PUBLIC when a route's gateway_id is an internet gateway."""
    if gateway is None or gateway == "" or gateway == "local":
        return Placement.PRIVATE
    if isinstance(gateway, str):
        return Placement.PUBLIC if gateway.startswith("igw-") else Placement.PRIVATE
    if isinstance(gateway, Unknown):
        resolved = [model.resolve(ref) for ref in gateway.refs]
        if any(r.type in IGW_TYPES for found in resolved for r in found) or any(
            ref.startswith("data.aws_internet_gateway.") for ref in gateway.refs
        ):
            return Placement.PUBLIC
        return Placement.PRIVATE if resolved and all(resolved) else Placement.UNKNOWN
    return Placement.UNKNOWN


def _inline_routes(table: Resource, model: Model) -> Placement:
    # No inline route blocks: the attribute is computed (from aws_route resources, judged separately).
    routes = configured_blocks(table, "route")
    if isinstance(routes, Unknown):
        # The whole set is known only after apply: its references still tell whether it names an IGW.
        if _gateway_is_igw(routes, model) is Placement.PUBLIC:
            return Placement.PUBLIC
        return Placement.UNKNOWN
    return worst(_gateway_is_igw(route.get("gateway_id"), model) for route in routes)


@dataclass(frozen=True, slots=True)
class _Table:
    """A route table: a resource, or (resource None) the VPC's default table that Terraform leaves alone.

    `vpc` is set for the VPC's default table (managed by aws_default_route_table or not), so routes added
    on `aws_vpc.x.default_route_table_id` / `main_route_table_id` land on it.
    """

    resource: Resource | None
    vpc: Resource | None = None


def _table_routes(table: _Table, model: Model) -> Placement:
    """Whether a route table routes to an internet gateway, inline and through aws_route resources."""
    found: list[Placement] = []
    if table.resource is not None:
        found.append(_inline_routes(table.resource, model))
    routes = _index(model).pointing("aws_route", "route_table_id")
    for owner in (table.resource, table.vpc):
        if owner is not None:
            found.extend(
                _gateway_is_igw(r.values.get("gateway_id"), model) for r in routes.get(owner.address, ())
            )
    return worst(found)


def _default_table(vpc: Resource, model: Model) -> _Table:
    for table in model.of_type("aws_default_route_table"):
        if references(table.values.get("default_route_table_id"), vpc, model):
            return _Table(table, vpc)
    return _Table(None, vpc)


def _tables(value: Any, model: Model) -> list[_Table] | None:
    """The route tables a route_table_id names; None when it names nothing in the model."""
    kinds = ("aws_route_table", "aws_default_route_table", "aws_vpc")
    named = targets(value, model, *kinds)
    if not named or not all(any(r.type in kinds for r in model.resolve(ref)) for ref in refs_in(value)):
        return None
    tables: list[_Table] = []
    for resource in named:
        if resource.type == "aws_vpc":
            tables.append(_default_table(resource, model))
        elif resource.type == "aws_default_route_table":
            tables.append(_Table(resource, vpc_of(resource, model, "default_route_table_id")))
        else:
            tables.append(_Table(resource))
    return tables


def _main_table(vpc: Resource, model: Model) -> list[_Table] | None:
    """The VPC's main route table; None when a main-table association cannot be followed."""
    chosen: list[_Table] | None = [_default_table(vpc, model)]
    for association in model.of_type("aws_main_route_table_association"):
        vpc_id = association.values.get("vpc_id")
        if references(vpc_id, vpc, model):
            return _tables(association.values.get("route_table_id"), model)
        if unresolved(vpc_id):
            chosen = None  # an association for a VPC we cannot identify may be this one's
    return chosen


def subnet_placement(subnet: Resource, model: Model) -> Placement:
    """Whether one aws_subnet / aws_default_subnet is public, from the route table it uses."""
    known = _index(model).placements
    if subnet.address not in known:
        known[subnet.address] = _placement(subnet, model)
    return known[subnet.address]


def _placement(subnet: Resource, model: Model) -> Placement:
    # Edge associations (gateway_id instead of subnet_id) concern no subnet.
    associations = _index(model).pointing("aws_route_table_association", "subnet_id")
    explicit: list[Placement] = []
    for association in associations.get(subnet.address, ()):
        tables = _tables(association.values.get("route_table_id"), model)
        explicit.extend([Placement.UNKNOWN] if tables is None else (_table_routes(t, model) for t in tables))
    if explicit:
        return worst(explicit)
    if associations.get(UNRESOLVED):
        return Placement.UNKNOWN  # an association whose subnet is unknown may be this subnet's
    if subnet.type == "aws_default_subnet":
        # The default VPC's main table is created by AWS with 0.0.0.0/0 to the default internet gateway.
        return Placement.PUBLIC
    vpc = vpc_of(subnet, model)
    main = None if vpc is None else _main_table(vpc, model)
    return Placement.UNKNOWN if main is None else worst(_table_routes(t, model) for t in main)


def vpc_of(resource: Resource, model: Model, key: str = "vpc_id") -> Resource | None:
    vpcs = targets(resource.values.get(key), model, "aws_vpc", "aws_default_vpc")
    return vpcs[0] if len(vpcs) == 1 else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A placement and the subnet that decided it (the first public one, else the first unknown one)."""

    placement: Placement
    subnet: str = ""


def subnets_placement(value: Any, model: Model) -> Verdict:
    """Placement of a list of subnet ids (literals and references). A literal id or a data source says
    nothing about routes, and an empty list places nothing: both are unknown."""
    items = _items(value)
    if isinstance(items, Unknown):
        items = [items]
    found = [verdict for item in items for verdict in _subnet_ref(item, model)]
    for placement in (Placement.PUBLIC, Placement.UNKNOWN):
        for verdict in found:
            if verdict.placement is placement:
                return verdict
    return Verdict(Placement.PRIVATE if found else Placement.UNKNOWN)


def _subnet_ref(item: Any, model: Model) -> list[Verdict]:
    kinds = ("aws_subnet", "aws_default_subnet")
    found = [Verdict(subnet_placement(s, model), s.address) for s in targets(item, model, *kinds)]
    if isinstance(item, str) and not found:
        return [Verdict(Placement.UNKNOWN, item)]  # a subnet id of another configuration
    for ref in refs_in(item):
        if not any(r.type in kinds for r in model.resolve(ref)):
            found.append(Verdict(Placement.UNKNOWN, ref))
    return found or [Verdict(Placement.UNKNOWN)]


# ---------------------------------------------------------------- security groups


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


ALL_PROTOCOLS = {"-1", "all"}


def _ports(protocol: Any, low: Any, high: Any) -> tuple[int, int] | Unknown | None:
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
    items = _items(value)
    return (items,) if isinstance(items, Unknown) else tuple(items)


def rule_blocks(resource: Resource, direction: str) -> list[Mapping[str, Any]] | Unknown:
    """A security group's inline `ingress` / `egress` blocks; Unknown when their number is not known.

    A `dynamic` block over a collection known only after apply shows in a plan as one placeholder
    element whose protocol and ports are all unknown: it may stand for no rule or for many.
    """
    found = configured_blocks(resource, direction)
    if isinstance(found, Unknown):
        return found
    for block in found:
        if all(left_unset(resource, block.get(key)) for key in ("protocol", "from_port", "to_port")):
            return Unknown(reason=f"{direction} comes from a dynamic block known only after apply")
    return found


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
        ports = _ports(protocol, values.get("from_port"), values.get("to_port"))
        return (Ingress(protocol, ports, cidrs, prefix),)
    return ()


def _from_block(block: Mapping[str, Any]) -> Ingress:
    protocol = block.get("protocol")
    ports = _ports(protocol, block.get("from_port"), block.get("to_port"))
    cidrs = _list(block.get("cidr_blocks")) + _list(block.get("ipv6_cidr_blocks"))
    return Ingress(protocol, ports, cidrs, _list(block.get("prefix_list_ids")))


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


def security_group_of(resource: Resource, model: Model) -> tuple[Resource, ...]:
    """The security group a rule resource adds to (the group itself for inline rules)."""
    if resource.type in SG_TYPES:
        return (resource,)
    return targets(resource.values.get("security_group_id"), model, *SG_TYPES)


def attachments(group: Resource, model: Model) -> tuple[Resource, ...]:
    """Resources that attach `group` to themselves (LBs, ECS services, instances, domains ...).

    Security groups and their rules only *name* other groups as sources, so they are not attachments.
    """
    index = _index(model)
    if index.attached is None:
        index.attached = {}
        for resource in model.resources:
            if resource.mode != "managed" or resource.type in SG_TYPES + SG_RULE_TYPES:
                continue
            users = {
                g.address for v in _attaching_values(resource.values) for g in targets(v, model, *SG_TYPES)
            }
            for address in users:
                index.attached.setdefault(address, []).append(resource)
    return tuple(index.attached.get(group.address, ()))


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
    found: list[Any] = [configured(vpc, key)]
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


def switched_off(value: Any, what: str) -> Result:
    """For a flag that opens a path from the internet (default false): PASS when false or unset."""
    status = truth(value)
    if status is Status.PASS:
        return failed(f"{what} is {describe(value)}")
    if status is Status.UNKNOWN:
        return unknown(f"{what} is not known before apply")
    return passed(f"{what} is {describe(value if value is not None else False)}")


def placement_result(verdict: Verdict, what: str) -> Result:
    """The finding for a service or data store placed by `what` (e.g. "vpc_options.subnet_ids")."""
    if verdict.placement is Placement.PUBLIC:
        return failed(
            f"{what} has public subnet {verdict.subnet} (its route table routes to an internet gateway)"
        )
    if verdict.placement is Placement.UNKNOWN:
        where = f" ({verdict.subnet})" if verdict.subnet else ""
        return unknown(f"{what}: a subnet's route table is not in this configuration{where}")
    return passed(f"{what} has only private subnets (no route to an internet gateway)")


# ---------------------------------------------------------------- database subnet groups

SUBNET_GROUP_TYPES = ("aws_db_subnet_group", "aws_neptune_subnet_group", "aws_docdb_subnet_group")


def subnet_group_result(value: Any, model: Model, what: str) -> Result:
    """Where a database subnet group (named by `what`, e.g. db_subnet_group_name) places its database.

    Unset means the account's default subnet group, in the default VPC, whose subnets AWS creates with a
    route to the internet gateway. A literal name is matched against the groups in the configuration.
    """
    if value is None or value == "":
        return failed(f"{what} is unset: the default subnet group, in the default VPC's public subnets")
    if isinstance(value, str):
        groups = tuple(g for g in model.of_type(*SUBNET_GROUP_TYPES) if g.values.get("name") == value)
    else:
        groups = targets(value, model, *SUBNET_GROUP_TYPES)
    if len(groups) != 1:
        return unknown(f"{what} names a subnet group that is not in this configuration")
    verdict = subnets_placement(groups[0].values.get("subnet_ids"), model)
    return placement_result(verdict, f"{what} ({groups[0].address}) subnet_ids")


def describe_ports(permission: Ingress) -> str:
    """ "all ports", "tcp 443" or "udp 1000-2000", for messages."""
    if permission.ports is None:
        return "all ports"
    if isinstance(permission.ports, Unknown):
        return "ports not known before apply"
    low, high = permission.ports
    protocol = str(permission.protocol).lower()
    return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"


# ---------------------------------------------------------------- data stores behind groups


def runs_neo4j(service: Resource, model: Model) -> bool:
    """A neo4j image in the service's task definition, or a Neo4j port in it or in the service's
    load balancer blocks."""
    lb_ports = {block.get("container_port") for block in _blocks(service.values, "load_balancer")}
    if lb_ports & set(NEO4J_PORTS):
        return True
    for task in targets(service.values.get("task_definition"), model, "aws_ecs_task_definition"):
        for container in _containers(task.values.get("container_definitions")):
            image = container.get("image")
            if isinstance(image, str) and image.rsplit("/", 1)[-1].startswith("neo4j"):
                return True
            ports = {m.get("containerPort") for m in _blocks(container, "portMappings")}
            if ports & set(NEO4J_PORTS):
                return True
    return False


def _containers(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, str):
        try:
            value = decoded_json(value)
        except ValueError:
            return
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, Mapping))


def _blocks(values: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    found = blocks(values, name)
    return [] if isinstance(found, Unknown) else found


SEARCH_TYPES = ("aws_opensearch_domain", "aws_elasticsearch_domain")


def guarded_ports(group: Resource, model: Model) -> dict[int, str]:
    """Data store ports a group guards, by what it is attached to: OpenSearch 443 for a search domain's
    group, Neo4j's ports for a Neo4j service's group."""
    ports: dict[int, str] = {}
    for user in attachments(group, model):
        if user.type in SEARCH_TYPES:
            ports[443] = f"OpenSearch ({user.address})"
        elif user.type == "aws_ecs_service" and runs_neo4j(user, model):
            ports.update(dict.fromkeys(NEO4J_PORTS, f"Neo4j ({user.address})"))
    return ports
