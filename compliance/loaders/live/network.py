"""Live VPC, security group, load balancer and service discovery objects in plan attribute shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.loaders.live.aws import Clients, absent, region_of
from compliance.loaders.live.lookup import Lookup, Values, described


def _ec2(state: Mapping[str, Any], aws: Clients) -> Any:
    return aws("ec2", region_of(state, aws.region))


def _one(answer: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    items = (answer or {}).get(key) or []
    return items[0] if items else None


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in item.get("Tags") or ()}


def _vpc(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
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


def _subnet(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
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


def _internet_gateway(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
    attachments = found.get("Attachments") or []
    return {
        "id": found["InternetGatewayId"],
        "arn": state.get("arn"),
        "vpc_id": attachments[0]["VpcId"] if attachments else None,
        "tags": _tags(found),
    }


def _nat_gateway(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
    if found.get("State") == "deleted":
        return None
    addresses = found.get("NatGatewayAddresses") or [{}]
    return {
        "id": found["NatGatewayId"],
        "subnet_id": found["SubnetId"],
        "allocation_id": addresses[0].get("AllocationId"),
        "connectivity_type": found.get("ConnectivityType", "public"),
        "tags": _tags(found),
    }


def _eip(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
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


def _security_group(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
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


def _security_group_rule_v2(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
    """aws_vpc_security_group_ingress_rule / _egress_rule: one rule by its sgr- id."""
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


def _flow_log(found: Mapping[str, Any], state: Mapping[str, Any], ec2: Any) -> Values | None:
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


def _load_balancer(found: Mapping[str, Any], state: Mapping[str, Any], elb: Any) -> Values | None:
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


def _listener(found: Mapping[str, Any], state: Mapping[str, Any], elb: Any) -> Values | None:
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


def _target_group(found: Mapping[str, Any], state: Mapping[str, Any], elb: Any) -> Values | None:
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


def _dns_namespace(found: Mapping[str, Any], state: Mapping[str, Any], discovery: Any) -> Values | None:
    return {
        "id": found["Id"],
        "arn": found["Arn"],
        "name": found["Name"],
        "hosted_zone": (found.get("Properties") or {}).get("DnsProperties", {}).get("HostedZoneId"),
    }


def _discovery_service(found: Mapping[str, Any], state: Mapping[str, Any], discovery: Any) -> Values | None:
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


SECURITY_GROUP = described(
    Lookup("ec2", "describe_security_groups", "GroupIds", "SecurityGroups"), _security_group
)
GROUP_RULE = described(
    Lookup(
        "ec2",
        "describe_security_group_rules",
        "SecurityGroupRuleIds",
        "SecurityGroupRules",
        missing=("InvalidSecurityGroupRuleId.NotFound",),
    ),
    _security_group_rule_v2,
)
LOAD_BALANCER = described(
    Lookup("elbv2", "describe_load_balancers", "LoadBalancerArns", "LoadBalancers", identifier="arn"),
    _load_balancer,
)
LISTENER = described(
    Lookup("elbv2", "describe_listeners", "ListenerArns", "Listeners", identifier="arn"), _listener
)
TARGET_GROUP = described(
    Lookup("elbv2", "describe_target_groups", "TargetGroupArns", "TargetGroups", identifier="arn"),
    _target_group,
)

DESCRIBERS = {
    "aws_vpc": described(Lookup("ec2", "describe_vpcs", "VpcIds", "Vpcs"), _vpc),
    "aws_subnet": described(Lookup("ec2", "describe_subnets", "SubnetIds", "Subnets"), _subnet),
    "aws_internet_gateway": described(
        Lookup("ec2", "describe_internet_gateways", "InternetGatewayIds", "InternetGateways"),
        _internet_gateway,
    ),
    "aws_nat_gateway": described(
        Lookup("ec2", "describe_nat_gateways", "NatGatewayIds", "NatGateways"), _nat_gateway
    ),
    "aws_eip": described(Lookup("ec2", "describe_addresses", "AllocationIds", "Addresses"), _eip),
    "aws_route_table": route_table,
    "aws_route": route,
    "aws_route_table_association": route_table_association,
    "aws_security_group": SECURITY_GROUP,
    "aws_default_security_group": SECURITY_GROUP,
    "aws_vpc_security_group_ingress_rule": GROUP_RULE,
    "aws_vpc_security_group_egress_rule": GROUP_RULE,
    "aws_flow_log": described(Lookup("ec2", "describe_flow_logs", "FlowLogIds", "FlowLogs"), _flow_log),
    "aws_lb": LOAD_BALANCER,
    "aws_alb": LOAD_BALANCER,
    "aws_lb_listener": LISTENER,
    "aws_alb_listener": LISTENER,
    "aws_lb_target_group": TARGET_GROUP,
    "aws_alb_target_group": TARGET_GROUP,
    "aws_service_discovery_private_dns_namespace": described(
        Lookup(
            "servicediscovery",
            "get_namespace",
            "Id",
            "Namespace",
            listed=False,
            missing=("NamespaceNotFound",),
        ),
        _dns_namespace,
    ),
    "aws_service_discovery_service": described(
        Lookup(
            "servicediscovery", "get_service", "Id", "Service", listed=False, missing=("ServiceNotFound",)
        ),
        _discovery_service,
    ),
}
