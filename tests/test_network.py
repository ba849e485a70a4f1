"""compliance.analysis (placement, ingress): public subnets computed from routes, world sources, ingress normalisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance.analysis.ingress import attachments, ingress_of, inside_vpc, is_world, network_of, rule_blocks
from compliance.analysis.placement import Placement, subnet_placement, subnets_placement
from compliance.loaders.plan import load_plan
from compliance.model import Model, Origin, Resource, Source, Unknown


def make(address: str, values: dict[str, Any] | None = None, origin: Origin = Origin.HCL) -> Resource:
    kind, name = address.split(".")[-2], address.split(".")[-1].split("[")[0]
    return Resource(
        address=address,
        mode="managed",
        type=kind,
        name=name,
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values=values or {},
        source=Source("main.tf", 1),
        origin=origin,
    )


def ref(*addresses: str) -> Unknown:
    return Unknown(refs=addresses)


VPC = make("aws_vpc.main", {"cidr_block": "10.0.0.0/16"})
IGW = make("aws_internet_gateway.main", {"vpc_id": ref("aws_vpc.main")})
SUBNET = make("aws_subnet.app", {"vpc_id": ref("aws_vpc.main"), "tags": {"Name": "private"}})


def associated(table: Resource, *extra: Resource) -> Model:
    association = make(
        "aws_route_table_association.app",
        {"subnet_id": ref("aws_subnet.app"), "route_table_id": ref(table.address)},
    )
    return Model((VPC, IGW, SUBNET, table, association, *extra))


def placement(model: Model, subnet: Resource = SUBNET) -> Placement:
    return subnet_placement(subnet, model)


def test_inline_route_to_internet_gateway_is_public_whatever_the_tags_say() -> None:
    table = make(
        "aws_route_table.t", {"route": [{"cidr_block": "0.0.0.0/0", "gateway_id": ref(IGW.address)}]}
    )
    assert placement(associated(table)) is Placement.PUBLIC


def test_ipv6_aws_route_to_internet_gateway_is_public() -> None:
    table = make("aws_route_table.t", {"route": []})
    route = make(
        "aws_route.v6",
        {
            "route_table_id": ref(table.address),
            "destination_ipv6_cidr_block": "::/0",
            "gateway_id": ref(IGW.address),
        },
    )
    assert placement(associated(table, route)) is Placement.PUBLIC


@pytest.mark.parametrize(
    "route",
    [
        {"ipv6_cidr_block": "::/0", "egress_only_gateway_id": ref("aws_egress_only_internet_gateway.e")},
        {"cidr_block": "0.0.0.0/0", "nat_gateway_id": ref("aws_nat_gateway.n")},
        {"cidr_block": "0.0.0.0/0", "gateway_id": "vgw-0123"},
        {"cidr_block": "10.0.0.0/16", "gateway_id": "local"},
    ],
)
def test_egress_only_nat_and_vpn_routes_stay_private(route: dict[str, Any]) -> None:
    assert placement(associated(make("aws_route_table.t", {"route": [route]}))) is Placement.PRIVATE


def test_literal_internet_gateway_id_is_public() -> None:
    table = make("aws_route_table.t", {"route": [{"cidr_block": "1.2.3.0/24", "gateway_id": "igw-0abc"}]})
    assert placement(associated(table)) is Placement.PUBLIC


def test_unassociated_subnet_uses_the_main_route_table_association() -> None:
    public = make("aws_route_table.public", {"route": [{"gateway_id": ref(IGW.address)}]})
    main = make(
        "aws_main_route_table_association.m",
        {"vpc_id": ref(VPC.address), "route_table_id": ref(public.address)},
    )
    assert placement(Model((VPC, IGW, SUBNET, public, main))) is Placement.PUBLIC


def test_unassociated_subnet_uses_the_default_route_table() -> None:
    default = make(
        "aws_default_route_table.d",
        {"default_route_table_id": ref(VPC.address), "route": [{"gateway_id": ref(IGW.address)}]},
    )
    assert placement(Model((VPC, IGW, SUBNET, default))) is Placement.PUBLIC
    assert placement(Model((VPC, IGW, SUBNET))) is Placement.PRIVATE


def test_aws_route_on_the_vpcs_main_route_table_id() -> None:
    route = make(
        "aws_route.main",
        {
            "route_table_id": ref(VPC.address),
            "destination_cidr_block": "0.0.0.0/0",
            "gateway_id": ref(IGW.address),
        },
    )
    assert placement(Model((VPC, IGW, SUBNET, route))) is Placement.PUBLIC


def test_unresolvable_associations_make_unassociated_subnets_unknown() -> None:
    table = make("aws_route_table.t", {"route": []})
    mystery = make(
        "aws_route_table_association.x", {"subnet_id": Unknown(), "route_table_id": ref(table.address)}
    )
    assert placement(Model((VPC, SUBNET, table, mystery))) is Placement.UNKNOWN


def test_subnet_in_a_vpc_outside_the_configuration_is_unknown() -> None:
    subnet = make("aws_subnet.elsewhere", {"vpc_id": "vpc-0123"})
    assert placement(Model((subnet,)), subnet) is Placement.UNKNOWN


def test_default_subnet_is_public() -> None:
    subnet = make("aws_default_subnet.a", {"availability_zone": "ca-central-1a"})
    assert placement(Model((subnet,)), subnet) is Placement.PUBLIC


def test_counted_association_referencing_the_whole_resource() -> None:
    subnets = tuple(make(f"aws_subnet.app[{i}]", {"vpc_id": ref(VPC.address)}) for i in range(2))
    table = make("aws_route_table.t", {"route": [{"gateway_id": ref(IGW.address)}]})
    associations = tuple(
        make(
            f"aws_route_table_association.a[{i}]",
            {"subnet_id": ref("aws_subnet.app"), "route_table_id": ref(table.address)},
        )
        for i in range(2)
    )
    model = Model((VPC, IGW, table, *subnets, *associations))
    assert all(placement(model, s) is Placement.PUBLIC for s in subnets)


def test_plan_route_set_unknown_but_referencing_an_internet_gateway() -> None:
    table = make("aws_route_table.t", {"route": ref(IGW.address)}, origin=Origin.PLAN)
    assert placement(associated(table)) is Placement.PUBLIC


def test_plan_route_left_unset_is_no_inline_route(tmp_path: Path) -> None:
    """The plan loader marks a `route` the configuration leaves to the provider as unset (None)."""
    (table,) = planned(tmp_path, "aws_route_table", {"route": True}, {"vpc_id": {"constant_value": "vpc-1"}})
    assert table.values["route"] is None
    assert placement(associated(table)) is Placement.PRIVATE


def test_subnet_lists_report_the_deciding_subnet() -> None:
    table = make("aws_route_table.t", {"route": [{"gateway_id": ref(IGW.address)}]})
    model = associated(table)
    verdict = subnets_placement(["subnet-0123", ref(SUBNET.address)], model)
    assert (verdict.placement, verdict.subnet) == (Placement.PUBLIC, SUBNET.address)
    verdict = subnets_placement(["subnet-0123"], model)
    assert (verdict.placement, verdict.subnet) == (Placement.UNKNOWN, "subnet-0123")
    assert subnets_placement([], model).placement is Placement.UNKNOWN


@pytest.mark.parametrize(
    ("cidr", "world"),
    [
        ("0.0.0.0/0", True),
        ("::/0", True),
        ("0.0.0.0/1", True),
        ("128.0.0.0/1", True),
        ("2000::/3", True),
        ("4.0.0.0/8", True),
        ("10.0.0.0/8", False),
        ("100.64.0.0/10", False),
        ("203.0.113.0/24", False),
        ("fc00::/7", False),
        ("2001:db8:1234::/48", False),
        ("1.2.3.4/0", True),
    ],
)
def test_world_ranges(cidr: str, world: bool) -> None:
    network = network_of(cidr)
    assert network is not None
    assert is_world(network) is world


def test_ingress_of_normalises_inline_and_separate_rules() -> None:
    group = make(
        "aws_security_group.g",
        {
            "ingress": [
                {
                    "protocol": "-1",
                    "from_port": 0,
                    "to_port": 0,
                    "cidr_blocks": [],
                    "ipv6_cidr_blocks": ["::/0"],
                }
            ]
        },
    )
    (inline,) = ingress_of(group)  # type: ignore[misc]
    assert inline.ports is None and inline.cidrs == ("::/0",)
    rule = make(
        "aws_vpc_security_group_ingress_rule.r",
        {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv6": "::/0"},
    )
    (separate,) = ingress_of(rule)  # type: ignore[misc]
    assert separate.ports == (443, 443) and separate.cidrs == ("::/0",)
    egress = make("aws_security_group_rule.e", {"type": "egress", "cidr_blocks": ["0.0.0.0/0"]})
    assert ingress_of(egress) == ()


def test_plan_loader_marks_computed_stand_ins_as_unset(tmp_path: Path) -> None:
    """Unset versus unknown is the loader's mark: rules read `internal` as it is in both forms."""
    (in_plan,) = planned(tmp_path, "aws_lb", {"internal": True}, {})
    assert in_plan.values["internal"] is None
    written = {"internal": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}
    (referenced,) = planned(tmp_path, "aws_lb", {"internal": True}, written)
    assert referenced.values["internal"] == Unknown(("aws_vpc.main",), "known after apply")
    in_hcl = make("aws_lb.l", {"internal": Unknown()})
    assert isinstance(in_hcl.values["internal"], Unknown)


def test_plan_loader_marks_values_of_dynamic_blocks(tmp_path: Path) -> None:
    """A dynamic block (absent from the plan's configuration section) whose for_each is known only
    after apply is one placeholder element: its values are marked `dynamic`, and the rule set is Unknown."""
    placeholder = {"protocol": True, "from_port": True, "to_port": True, "self": True}
    kind = "aws_default_security_group"
    (group,) = planned(tmp_path, kind, {"ingress": [placeholder]}, {}, after={"ingress": [{}]})
    assert all(group.values["ingress"][0][key].dynamic for key in placeholder)
    assert isinstance(rule_blocks(group, "ingress"), Unknown)
    assert rule_blocks(group, "egress") == []


def planned(
    tmp_path: Path,
    kind: str,
    after_unknown: dict[str, Any],
    expressions: dict[str, Any],
    after: dict[str, Any] | None = None,
) -> tuple[Resource, ...]:
    """One resource to create, through the real plan loader, from a minimal plan document."""
    item = {"address": f"{kind}.t", "mode": "managed", "type": kind, "name": "t"}
    document = {
        "format_version": "1.2",
        "resource_changes": [
            {**item, "change": {"actions": ["create"], "after": after or {}, "after_unknown": after_unknown}}
        ],
        "configuration": {"root_module": {"resources": [{**item, "expressions": expressions}]}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    return tuple(r for r in load_plan(path) if r.mode == "managed")


def test_attachments_ignore_groups_that_only_name_it_as_a_source() -> None:
    group = make("aws_security_group.lb")
    lb = make("aws_lb.public", {"security_groups": [ref(group.address)]})
    service = make("aws_ecs_service.s", {"network_configuration": [{"security_groups": ref(group.address)}]})
    other = make("aws_security_group.app", {"ingress": [{"security_groups": [ref(group.address)]}]})
    found = {r.address for r in attachments(group, Model((group, lb, service, other)))}
    assert found == {lb.address, service.address}


def test_inside_vpc_by_ip_version() -> None:
    vpc = make("aws_vpc.v", {"cidr_block": "10.0.0.0/16", "assign_generated_ipv6_cidr_block": True})
    model = Model((vpc,))
    assert inside_vpc("10.0.1.0/24", vpc, model) is True
    assert inside_vpc("10.0.0.0/8", vpc, model) is False
    assert isinstance(inside_vpc("2600:1f18::/56", vpc, model), Unknown)


def test_already_applied_resources_are_matched_by_their_literal_ids() -> None:
    """In a plan over existing infrastructure, references are known ids, not Unknowns."""
    vpc = make("aws_vpc.main", {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}, origin=Origin.PLAN)
    subnet = make("aws_subnet.app", {"id": "subnet-1", "vpc_id": "vpc-1"}, origin=Origin.PLAN)
    table = make(
        "aws_route_table.t",
        {"id": "rtb-1", "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}]},
        origin=Origin.PLAN,
    )
    association = make(
        "aws_route_table_association.a",
        {"subnet_id": "subnet-1", "route_table_id": "rtb-1"},
        origin=Origin.PLAN,
    )
    other = make(
        "aws_route_table_association.b", {"subnet_id": "subnet-elsewhere", "route_table_id": "rtb-9"}
    )
    model = Model((vpc, subnet, table, association, other))
    verdict = subnets_placement(["subnet-1"], model)
    assert (verdict.placement, verdict.subnet) == (Placement.PUBLIC, "aws_subnet.app")
    group = make("aws_security_group.lb", {"id": "sg-1"}, origin=Origin.PLAN)
    lb = make("aws_lb.public", {"security_groups": ["sg-1"]}, origin=Origin.PLAN)
    assert attachments(group, Model((group, lb))) == (lb,)
