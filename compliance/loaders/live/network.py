"""Live VPC, security group, load balancer and service discovery objects in plan attribute shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.loaders.live.aws import Clients, absent, region_of

Values = dict[str, Any]


def _ec2(state: Mapping[str, Any], aws: Clients) -> Any:
    return aws("ec2", region_of(state, aws.region))


def _one(answer: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    items = (answer or {}).get(key) or []
    return items[0] if items else None


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in item.get("Tags") or ()}


def vpc(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_vpcs(VpcIds=[state["id"]])), "Vpcs")
    if found is None:
        return None

    def attribute(name: str) -> bool:
        key = name[0].upper() + name[1:]
        answer = ec2.describe_vpc_attribute(VpcId=state["id"], Attribute=name)
        return bool(answer[key]["Value"])

    return {
        "id": found["VpcId"],
        "arn": state.get("arn"),
        "cidr_block": found["CidrBlock"],
        "instance_tenancy": found.get("InstanceTenancy"),
        "enable_dns_support": attribute("enableDnsSupport"),
        "enable_dns_hostnames": attribute("enableDnsHostnames"),
        "tags": _tags(found),
    }


def subnet(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_subnets(SubnetIds=[state["id"]])), "Subnets")
    if found is None:
        return None
    return {
        "id": found["SubnetId"],
        "arn": found.get("SubnetArn", state.get("arn")),
        "vpc_id": found["VpcId"],
        "cidr_block": found["CidrBlock"],
        "availability_zone": found["AvailabilityZone"],
        "map_public_ip_on_launch": bool(found.get("MapPublicIpOnLaunch")),
        "assign_ipv6_address_on_creation": bool(found.get("AssignIpv6AddressOnCreation")),
        "tags": _tags(found),
    }


def internet_gateway(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(
        absent(lambda: ec2.describe_internet_gateways(InternetGatewayIds=[state["id"]])), "InternetGateways"
    )
    if found is None:
        return None
    attachments = found.get("Attachments") or []
    return {
        "id": found["InternetGatewayId"],
        "arn": state.get("arn"),
        "vpc_id": attachments[0]["VpcId"] if attachments else None,
        "tags": _tags(found),
    }


def nat_gateway(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_nat_gateways(NatGatewayIds=[state["id"]])), "NatGateways")
    if found is None or found.get("State") == "deleted":
        return None
    addresses = found.get("NatGatewayAddresses") or [{}]
    return {
        "id": found["NatGatewayId"],
        "subnet_id": found["SubnetId"],
        "allocation_id": addresses[0].get("AllocationId"),
        "connectivity_type": found.get("ConnectivityType", "public"),
        "tags": _tags(found),
    }


def eip(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_addresses(AllocationIds=[state["id"]])), "Addresses")
    if found is None:
        return None
    return {
        "id": found["AllocationId"],
        "domain": found.get("Domain"),
        "public_ip": found.get("PublicIp"),
        "tags": _tags(found),
    }


def _route(route: Mapping[str, Any]) -> Values:
    return {
        "cidr_block": route.get("DestinationCidrBlock", ""),
        "ipv6_cidr_block": route.get("DestinationIpv6CidrBlock", ""),
        "gateway_id": route.get("GatewayId", ""),
        "nat_gateway_id": route.get("NatGatewayId", ""),
        "egress_only_gateway_id": route.get("EgressOnlyInternetGatewayId", ""),
        "transit_gateway_id": route.get("TransitGatewayId", ""),
        "vpc_peering_connection_id": route.get("VpcPeeringConnectionId", ""),
        "network_interface_id": route.get("NetworkInterfaceId", ""),
    }


def _route_table(ec2: Any, table_id: str) -> Mapping[str, Any] | None:
    return _one(absent(lambda: ec2.describe_route_tables(RouteTableIds=[table_id])), "RouteTables")


def route_table(state: Mapping[str, Any], aws: Clients) -> Values | None:
    found = _route_table(_ec2(state, aws), state["id"])
    if found is None:
        return None
    routes = [r for r in found.get("Routes") or () if r.get("GatewayId") != "local"]
    return {
        "id": found["RouteTableId"],
        "arn": state.get("arn"),
        "vpc_id": found["VpcId"],
        "route": [_route(r) for r in routes if r.get("Origin", "CreateRoute") != "CreateRouteTable"],
        "tags": _tags(found),
    }


def route(state: Mapping[str, Any], aws: Clients) -> Values | None:
    """A standalone route: the matching destination in its table."""
    found = _route_table(_ec2(state, aws), state["route_table_id"])
    if found is None:
        return None
    wanted = state.get("destination_cidr_block") or state.get("destination_ipv6_cidr_block")
    for item in found.get("Routes") or ():
        if wanted in (item.get("DestinationCidrBlock"), item.get("DestinationIpv6CidrBlock")):
            shaped = _route(item)
            return {
                "id": state.get("id"),
                "route_table_id": found["RouteTableId"],
                "destination_cidr_block": shaped["cidr_block"],
                "destination_ipv6_cidr_block": shaped["ipv6_cidr_block"],
                **{k: v for k, v in shaped.items() if k.endswith("_id")},
            }
    return None


def route_table_association(state: Mapping[str, Any], aws: Clients) -> Values | None:
    found = _route_table(_ec2(state, aws), state["route_table_id"])
    for item in (found or {}).get("Associations") or ():
        if item.get("RouteTableAssociationId") == state["id"]:
            return {
                "id": item["RouteTableAssociationId"],
                "route_table_id": item["RouteTableId"],
                "subnet_id": item.get("SubnetId"),
                "gateway_id": item.get("GatewayId"),
            }
    return None


def _permission(rule: Mapping[str, Any]) -> Values:
    protocol = str(rule.get("IpProtocol", "-1"))
    return {
        "from_port": rule.get("FromPort", 0),
        "to_port": rule.get("ToPort", 0),
        "protocol": protocol,
        "cidr_blocks": [r["CidrIp"] for r in rule.get("IpRanges") or ()],
        "ipv6_cidr_blocks": [r["CidrIpv6"] for r in rule.get("Ipv6Ranges") or ()],
        "prefix_list_ids": [r["PrefixListId"] for r in rule.get("PrefixListIds") or ()],
        "security_groups": [p["GroupId"] for p in rule.get("UserIdGroupPairs") or ()],
        "self": False,
        "description": next(
            (r.get("Description") for r in rule.get("IpRanges") or () if r.get("Description")), ""
        ),
    }


def _self_aware(rule: Values, group_id: str) -> Values:
    """The provider shows a rule naming the group itself as self = true, not as a group id."""
    if group_id in rule["security_groups"]:
        rule["security_groups"] = [g for g in rule["security_groups"] if g != group_id]
        rule["self"] = True
    return rule


def security_group(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_security_groups(GroupIds=[state["id"]])), "SecurityGroups")
    if found is None:
        return None
    group_id = found["GroupId"]
    return {
        "id": group_id,
        "arn": state.get("arn"),
        "name": found["GroupName"],
        "description": found.get("Description"),
        "vpc_id": found.get("VpcId"),
        "ingress": [_self_aware(_permission(r), group_id) for r in found.get("IpPermissions") or ()],
        "egress": [_self_aware(_permission(r), group_id) for r in found.get("IpPermissionsEgress") or ()],
        "tags": _tags(found),
    }


def security_group_rule_v2(state: Mapping[str, Any], aws: Clients) -> Values | None:
    """aws_vpc_security_group_ingress_rule / _egress_rule: one rule by its sgr- id."""
    ec2 = _ec2(state, aws)
    answer = absent(
        lambda: ec2.describe_security_group_rules(SecurityGroupRuleIds=[state["id"]]),
        "InvalidSecurityGroupRuleId.NotFound",
    )
    found = _one(answer, "SecurityGroupRules")
    if found is None:
        return None
    referenced = (found.get("ReferencedGroupInfo") or {}).get("GroupId")
    return {
        "id": found["SecurityGroupRuleId"],
        "arn": state.get("arn"),
        "security_group_id": found["GroupId"],
        "ip_protocol": str(found.get("IpProtocol", "-1")),
        "from_port": found.get("FromPort"),
        "to_port": found.get("ToPort"),
        "cidr_ipv4": found.get("CidrIpv4"),
        "cidr_ipv6": found.get("CidrIpv6"),
        "prefix_list_id": found.get("PrefixListId"),
        "referenced_security_group_id": referenced,
        "description": found.get("Description"),
    }


def flow_log(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ec2 = _ec2(state, aws)
    found = _one(absent(lambda: ec2.describe_flow_logs(FlowLogIds=[state["id"]])), "FlowLogs")
    if found is None:
        return None
    return {
        "id": found["FlowLogId"],
        "vpc_id": found.get("ResourceId") if str(found.get("ResourceId", "")).startswith("vpc-") else None,
        "subnet_id": found.get("ResourceId")
        if str(found.get("ResourceId", "")).startswith("subnet-")
        else None,
        "traffic_type": found.get("TrafficType"),
        "log_destination_type": found.get("LogDestinationType", "cloud-watch-logs"),
        "log_destination": found.get("LogDestination") or state.get("log_destination"),
        "iam_role_arn": found.get("DeliverLogsPermissionArn"),
        "max_aggregation_interval": found.get("MaxAggregationInterval"),
    }


def load_balancer(state: Mapping[str, Any], aws: Clients) -> Values | None:
    elb = aws("elbv2", region_of(state, aws.region))
    found = _one(
        absent(lambda: elb.describe_load_balancers(LoadBalancerArns=[state["arn"]])), "LoadBalancers"
    )
    if found is None:
        return None
    attributes = {
        a["Key"]: a["Value"]
        for a in elb.describe_load_balancer_attributes(LoadBalancerArn=found["LoadBalancerArn"])["Attributes"]
    }
    return {
        "id": found["LoadBalancerArn"],
        "arn": found["LoadBalancerArn"],
        "name": found["LoadBalancerName"],
        "internal": found.get("Scheme") == "internal",
        "load_balancer_type": found.get("Type", "application"),
        "security_groups": list(found.get("SecurityGroups") or ()),
        "subnets": [z["SubnetId"] for z in found.get("AvailabilityZones") or ()],
        "dns_name": found.get("DNSName"),
        "drop_invalid_header_fields": attributes.get("routing.http.drop_invalid_header_fields.enabled")
        == "true",
        "enable_deletion_protection": attributes.get("deletion_protection.enabled") == "true",
        "access_logs": [
            {
                "enabled": attributes.get("access_logs.s3.enabled") == "true",
                "bucket": attributes.get("access_logs.s3.bucket", ""),
                "prefix": attributes.get("access_logs.s3.prefix", ""),
            }
        ],
    }


def _action(action: Mapping[str, Any]) -> Values:
    redirect = action.get("RedirectConfig")
    fixed = action.get("FixedResponseConfig")
    return {
        "type": action.get("Type"),
        "order": action.get("Order"),
        "target_group_arn": action.get("TargetGroupArn"),
        "redirect": [
            {
                "protocol": redirect.get("Protocol"),
                "port": redirect.get("Port"),
                "host": redirect.get("Host"),
                "path": redirect.get("Path"),
                "query": redirect.get("Query"),
                "status_code": redirect.get("StatusCode"),
            }
        ]
        if redirect
        else [],
        "fixed_response": [
            {
                "content_type": fixed.get("ContentType"),
                "message_body": fixed.get("MessageBody"),
                "status_code": fixed.get("StatusCode"),
            }
        ]
        if fixed
        else [],
    }


def listener(state: Mapping[str, Any], aws: Clients) -> Values | None:
    elb = aws("elbv2", region_of(state, aws.region))
    found = _one(absent(lambda: elb.describe_listeners(ListenerArns=[state["arn"]])), "Listeners")
    if found is None:
        return None
    certificates = found.get("Certificates") or []
    return {
        "id": found["ListenerArn"],
        "arn": found["ListenerArn"],
        "load_balancer_arn": found["LoadBalancerArn"],
        "port": found.get("Port"),
        "protocol": found.get("Protocol"),
        "ssl_policy": found.get("SslPolicy") or "",
        "certificate_arn": certificates[0]["CertificateArn"] if certificates else None,
        "default_action": [_action(a) for a in found.get("DefaultActions") or ()],
    }


def target_group(state: Mapping[str, Any], aws: Clients) -> Values | None:
    elb = aws("elbv2", region_of(state, aws.region))
    found = _one(absent(lambda: elb.describe_target_groups(TargetGroupArns=[state["arn"]])), "TargetGroups")
    if found is None:
        return None
    return {
        "id": found["TargetGroupArn"],
        "arn": found["TargetGroupArn"],
        "name": found["TargetGroupName"],
        "port": found.get("Port"),
        "protocol": found.get("Protocol"),
        "vpc_id": found.get("VpcId"),
        "target_type": found.get("TargetType"),
        "health_check": [
            {
                "enabled": found.get("HealthCheckEnabled", True),
                "path": found.get("HealthCheckPath"),
                "protocol": found.get("HealthCheckProtocol"),
                "port": found.get("HealthCheckPort"),
                "matcher": (found.get("Matcher") or {}).get("HttpCode"),
                "interval": found.get("HealthCheckIntervalSeconds"),
                "healthy_threshold": found.get("HealthyThresholdCount"),
                "unhealthy_threshold": found.get("UnhealthyThresholdCount"),
            }
        ],
    }


def dns_namespace(state: Mapping[str, Any], aws: Clients) -> Values | None:
    discovery = aws("servicediscovery", region_of(state, aws.region))
    answer = absent(lambda: discovery.get_namespace(Id=state["id"]), "NamespaceNotFound")
    if answer is None:
        return None
    found = answer["Namespace"]
    return {
        "id": found["Id"],
        "arn": found["Arn"],
        "name": found["Name"],
        "hosted_zone": (found.get("Properties") or {}).get("DnsProperties", {}).get("HostedZoneId"),
    }


def discovery_service(state: Mapping[str, Any], aws: Clients) -> Values | None:
    discovery = aws("servicediscovery", region_of(state, aws.region))
    answer = absent(lambda: discovery.get_service(Id=state["id"]), "ServiceNotFound")
    if answer is None:
        return None
    found = answer["Service"]
    dns = found.get("DnsConfig") or {}
    return {
        "id": found["Id"],
        "arn": found["Arn"],
        "name": found["Name"],
        "namespace_id": found.get("NamespaceId") or dns.get("NamespaceId"),
        "dns_config": [
            {
                "namespace_id": dns.get("NamespaceId"),
                "routing_policy": dns.get("RoutingPolicy"),
                "dns_records": [{"type": r["Type"], "ttl": r["TTL"]} for r in dns.get("DnsRecords") or ()],
            }
        ]
        if dns
        else [],
    }


DESCRIBERS = {
    "aws_vpc": vpc,
    "aws_subnet": subnet,
    "aws_internet_gateway": internet_gateway,
    "aws_nat_gateway": nat_gateway,
    "aws_eip": eip,
    "aws_route_table": route_table,
    "aws_route": route,
    "aws_route_table_association": route_table_association,
    "aws_security_group": security_group,
    "aws_default_security_group": security_group,
    "aws_vpc_security_group_ingress_rule": security_group_rule_v2,
    "aws_vpc_security_group_egress_rule": security_group_rule_v2,
    "aws_flow_log": flow_log,
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_lb_listener": listener,
    "aws_alb_listener": listener,
    "aws_lb_target_group": target_group,
    "aws_alb_target_group": target_group,
    "aws_service_discovery_private_dns_namespace": dns_namespace,
    "aws_service_discovery_service": discovery_service,
}
