"""A VPC's main route table, as `aws_main_route_table_association`: which table a subnet without an explicit
association uses (compliance.analysis.placement). Discovery finds it; a state names it by its id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.loaders.live.aws import Clients, absent, region_of
from compliance.loaders.live.lookup import Values


def main_route_table_association(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = aws("ec2", region_of(state, aws.region))
    wanted = str(state["id"])
    answer = absent(
        lambda: ec2.describe_route_tables(
            Filters=[{"Name": "association.route-table-association-id", "Values": [wanted]}]
        )
    )
    for table in (answer or {}).get("RouteTables") or ():
        for item in table.get("Associations") or ():
            if item.get("RouteTableAssociationId") == wanted and item.get("Main"):
                return {"id": wanted, "vpc_id": table["VpcId"], "route_table_id": table["RouteTableId"]}
    return None


DESCRIBERS = {"aws_main_route_table_association": main_route_table_association}
