"""Which subnets are public, computed from routes the way AWS does it.

A subnet is public when the route table it uses has a route to an internet gateway. Which table it uses
is computed the way AWS does it: an explicit `aws_route_table_association`, otherwise the main route
table of its VPC (`aws_main_route_table_association`, otherwise the VPC's default route table, managed by
`aws_default_route_table` or left with only the local route). Names and tags play no part. Any route to an
internet gateway counts, whatever its destination: AWS calls such a subnet public, and hosts in it with a
public address are reachable from that destination. Egress-only internet gateways, NAT gateways, VPN and
transit gateways give no inbound path from the internet, so they do not make a subnet public.

Everything here is three-valued: a link that cannot be followed (a literal subnet id of another stack, a
reference to a data source, an association whose subnet is unknown) makes the answer UNKNOWN, never a
guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from compliance.analysis.references import (
    UNRESOLVED,
    items,
    pointing,
    references,
    refs_in,
    targets,
    unresolved,
)
from compliance.analysis.results import first_worst
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Status, Unknown, failed, passed, unknown

IGW_TYPES = ("aws_internet_gateway",)
SUBNET_TYPES = ("aws_subnet", "aws_default_subnet")


class Placement(StrEnum):
    """Where a subnet (or a set of them) sits."""

    PUBLIC = "public"
    PRIVATE = "private"
    UNKNOWN = "unknown"

    @property
    def status(self) -> Status:
        """A public placement is the failing one."""
        return _STATUS[self]


_STATUS = {Placement.PUBLIC: Status.FAIL, Placement.UNKNOWN: Status.UNKNOWN, Placement.PRIVATE: Status.PASS}


def worst(placements: Iterable[Placement]) -> Placement:
    """One public subnet makes a set public; otherwise one unknown makes it unknown (the worst-of order)."""
    chosen = first_worst(placements, lambda placement: placement.status)
    return Placement.PRIVATE if chosen is None else chosen


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


def _inline_routes(table: Resource, model: Model, ipv6: bool) -> Placement:
    # No inline route blocks: the attribute is computed (from aws_route resources, judged separately).
    routes = blocks(table.values, "route")
    if isinstance(routes, Unknown):
        # The whole set is known only after apply: its references still tell whether it names an IGW.
        if _gateway_is_igw(routes, model) is Placement.PUBLIC:
            return Placement.PUBLIC
        return Placement.UNKNOWN
    return worst(
        _gateway_is_igw(route.get("gateway_id"), model)
        for route in routes
        if not ipv6 or _ipv6_destination(route.get("ipv6_cidr_block"))
    )


def _ipv6_destination(destination: Any) -> bool:
    """Whether a route may carry IPv6 traffic: its IPv6 destination is set or not known."""
    return isinstance(destination, Unknown) or destination not in (None, "")


@dataclass(frozen=True, slots=True)
class _Table:
    """A route table: a resource, or (resource None) the VPC's default table that Terraform leaves alone.

    `vpc` is set for the VPC's default table (managed by aws_default_route_table or not), so routes added
    on `aws_vpc.x.default_route_table_id` / `main_route_table_id` land on it.
    """

    resource: Resource | None
    vpc: Resource | None = None


def _table_routes(table: _Table, model: Model, ipv6: bool = False) -> Placement:
    """Whether a route table routes to an internet gateway, inline and through aws_route resources
    (with `ipv6`, only routes for IPv6 destinations count)."""
    found: list[Placement] = []
    if table.resource is not None:
        found.append(_inline_routes(table.resource, model, ipv6))
    routes = pointing(model, "aws_route", "route_table_id")
    for owner in (table.resource, table.vpc):
        if owner is not None:
            found.extend(
                _gateway_is_igw(r.values.get("gateway_id"), model)
                for r in routes.get(owner.address, ())
                if not ipv6 or _ipv6_destination(r.values.get("destination_ipv6_cidr_block"))
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


def subnet_placement(subnet: Resource, model: Model, ipv6: bool = False) -> Placement:
    """Whether one aws_subnet / aws_default_subnet is public, from the route table it uses. With `ipv6`,
    whether its IPv6 addresses are: only routes for IPv6 destinations count (an egress-only internet
    gateway gives no inbound path, so it keeps them private)."""
    known: dict[tuple[str, bool], Placement] = model.memo("placements", dict)
    key = (subnet.address, ipv6)
    if key not in known:
        known[key] = _placement(subnet, model, ipv6)
    return known[key]


def _placement(subnet: Resource, model: Model, ipv6: bool) -> Placement:
    # Edge associations (gateway_id instead of subnet_id) concern no subnet.
    associations = pointing(model, "aws_route_table_association", "subnet_id")
    explicit: list[Placement] = []
    for association in associations.get(subnet.address, ()):
        tables = _tables(association.values.get("route_table_id"), model)
        explicit.extend(
            [Placement.UNKNOWN] if tables is None else (_table_routes(t, model, ipv6) for t in tables)
        )
    if explicit:
        return worst(explicit)
    if associations.get(UNRESOLVED):
        return Placement.UNKNOWN  # an association whose subnet is unknown may be this subnet's
    if subnet.type == "aws_default_subnet":
        # The default VPC's main table is created by AWS with 0.0.0.0/0 to the default internet gateway
        # (and no IPv6 route: the default VPC has no IPv6 block until one is added outside Terraform).
        return Placement.UNKNOWN if ipv6 else Placement.PUBLIC
    vpc = vpc_of(subnet, model)
    main = None if vpc is None else _main_table(vpc, model)
    return Placement.UNKNOWN if main is None else worst(_table_routes(t, model, ipv6) for t in main)


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
    listed = items(value)
    if isinstance(listed, Unknown):
        listed = [listed]
    found = [verdict for item in listed for verdict in _subnet_ref(item, model)]
    chosen = first_worst(found, lambda verdict: verdict.placement.status)
    if chosen is not None and chosen.placement is not Placement.PRIVATE:
        return chosen
    return Verdict(Placement.PRIVATE if found else Placement.UNKNOWN)


def _subnet_ref(item: Any, model: Model) -> list[Verdict]:
    kinds = SUBNET_TYPES
    found = [Verdict(subnet_placement(s, model), s.address) for s in targets(item, model, *kinds)]
    if isinstance(item, str) and not found:
        return [Verdict(Placement.UNKNOWN, item)]  # a subnet id of another configuration
    for ref in refs_in(item):
        if not any(r.type in kinds for r in model.resolve(ref)):
            found.append(Verdict(Placement.UNKNOWN, ref))
    return found or [Verdict(Placement.UNKNOWN)]


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
