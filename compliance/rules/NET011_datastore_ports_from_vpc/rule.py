"""Neo4j and OpenSearch ports admit only the VPC's own addresses or security groups."""

from __future__ import annotations

from compliance.analysis.ingress import (
    Ingress,
    attachments,
    ingress_of,
    inside_vpc,
    is_world,
    network_of,
    security_group_of,
)
from compliance.analysis.placement import vpc_of
from compliance.analysis.results import first_worst
from compliance.analysis.workloads import runs_neo4j
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown

SEARCH_TYPES = ("aws_opensearch_domain", "aws_elasticsearch_domain")


def guarded_ports(group: Resource, model: Model) -> dict[int, str]:
    """Data store ports a group guards, by what it is attached to: OpenSearch's (443 by default) for a
    search domain's group, Neo4j's for a Neo4j service's group (model.settings names both)."""
    ports: dict[int, str] = {}
    for user in attachments(group, model):
        if user.type in SEARCH_TYPES:
            ports.update(dict.fromkeys(model.settings.search_ports, f"OpenSearch ({user.address})"))
        elif user.type == "aws_ecs_service" and runs_neo4j(user, model):
            ports.update(dict.fromkeys(model.settings.neo4j_ports, f"Neo4j ({user.address})"))
    return ports


def check(resource: Resource, model: Model) -> Result | None:
    groups = security_group_of(resource, model)
    guarded: dict[int, str] = {}
    for group in groups:
        guarded.update(guarded_ports(group, model))
    permissions = ingress_of(resource)
    if isinstance(permissions, Unknown):
        return (
            unknown("ingress rules of a data store's group are not known before apply") if guarded else None
        )
    hits = [(p, _ports_hit(p, guarded, model.settings.neo4j_ports)) for p in permissions]
    hits = [(p, ports) for p, ports in hits if ports]
    if not hits:
        return None
    vpc = vpc_of(groups[0], model) if len(groups) == 1 else None
    results = [_sources(p, ports, vpc, model) for p, ports in hits]
    chosen = first_worst(results)
    if chosen is not None and chosen.status is not Status.PASS:
        return chosen
    names = sorted({what for _, ports in hits for what in ports.values()})
    return passed(f"{', '.join(names)} reachable only from the VPC's CIDR or from security groups")


def _ports_hit(permission: Ingress, guarded: dict[int, str], neo4j_ports: tuple[int, ...]) -> dict[int, str]:
    """Guarded ports the permission opens, plus Neo4j ports that an explicit port range names."""
    if isinstance(permission.ports, Unknown):
        return dict(guarded) if guarded else {}
    if permission.ports is None:
        return dict(guarded)
    low, high = permission.ports
    named = {port: "Neo4j" for port in neo4j_ports if low <= port <= high}
    return {**named, **{port: what for port, what in guarded.items() if low <= port <= high}}


def _sources(permission: Ingress, ports: dict[int, str], vpc: Resource | None, model: Model) -> Result:
    opened = _describe(ports)
    if permission.prefix_lists:
        return unknown(f"{opened} open to a prefix list, which cannot be checked against the VPC")
    pending = ""
    for cidr in permission.cidrs:
        network = network_of(cidr)
        if network is None:
            pending = "a source CIDR not known before apply"
            continue
        if is_world(network):
            return failed(f"{opened} open to {cidr}")
        inside = inside_vpc(str(cidr), vpc, model) if vpc is not None else Unknown()
        if inside is False:
            return failed(f"{opened} open to {cidr}, outside the VPC {vpc.address if vpc else ''}")
        if isinstance(inside, Unknown):
            pending = f"whether {cidr} lies inside the VPC is not known"
    if pending:
        return unknown(f"{opened}: {pending}")
    return passed(f"{opened} open only inside the VPC or to security groups")


def _describe(ports: dict[int, str]) -> str:
    """ "Neo4j (aws_ecs_service.graph) ports 7474, 7687" from {7474: "Neo4j (...)", 7687: ...}."""
    by_what: dict[str, list[int]] = {}
    for port, what in sorted(ports.items()):
        by_what.setdefault(what, []).append(port)
    return "; ".join(
        f"{what} port{'s' if len(nums) > 1 else ''} {', '.join(map(str, nums))}"
        for what, nums in by_what.items()
    )


RULE = Rule(
    id="NET011",
    title="Neo4j and OpenSearch ports admit only the VPC or the application's security group",
    severity=Severity.HIGH,
    types=("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"),
    rationale="Neo4j (7473/7474/7687) and the OpenSearch endpoint (443) serve clinical data; a source "
    "range wider than the VPC (a peered network, a corporate /8, the internet) reaches them directly.",
    remediation="Admit these ports only from the application's security group (source_security_group_id "
    "/ referenced_security_group_id / security_groups) or from CIDRs inside the VPC.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
)
