"""`scan --live` without a state: list what the account holds (List/Describe calls only), then describe
each object with the same describers as the state-named scan.

Every lister yields (type, key, identifiers): the address is `<type>.<key>`, the key being what AWS keeps
unique account-wide (an EC2, EFS or KMS id, an S3 bucket or IAM name) or else the ARN, so the same object
has the same address in every run. The identifiers are the state attributes the type's describer reads.

A listing the endpoint fails (an emulator that lacks the call, a service outage; a denial is bad input
instead) is one gap resource (SCN002, unknown) naming the service, region and call: the gate fails closed
and everything else is still judged.

Left out on purpose: objects AWS owns and the customer cannot change (AWS-managed KMS keys and their
`alias/aws/*` aliases, service-linked roles, AWS-managed IAM policies, which are still judged where a role
attaches them), and S3 buckets outside the scanned regions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from compliance.loaders.live import GAP, StateResource, gap, link_references, resource
from compliance.loaders.live.aws import Clients, denied, error_code
from compliance.loaders.live.describers import DESCRIBERS, Describer
from compliance.model import Resource

Found = tuple[str, str, dict[str, Any]]  # (type, key, identifiers for the describer)
Lister = Callable[[Clients, str], Iterator[Found]]  # (clients at a region, account id)


def _items(client: Any, operation: str, key: str, **params: Any) -> Iterator[Any]:
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**params):
            yield from page.get(key) or ()
    else:
        yield from getattr(client, operation)(**params).get(key) or ()


def _arn(aws: Clients, account: str, service: str, resource: str) -> str:
    return f"arn:aws:{service}:{aws.region}:{account}:{resource}"


def _ec2(aws: Clients, account: str) -> Iterator[Found]:
    ec2 = aws("ec2")
    for vpc in _items(ec2, "describe_vpcs", "Vpcs"):
        yield "aws_vpc", vpc["VpcId"], {"id": vpc["VpcId"]}
    for subnet in _items(ec2, "describe_subnets", "Subnets"):
        yield "aws_subnet", subnet["SubnetId"], {"id": subnet["SubnetId"], "arn": subnet.get("SubnetArn")}
    for group in _items(ec2, "describe_security_groups", "SecurityGroups"):
        kind = "aws_default_security_group" if group["GroupName"] == "default" else "aws_security_group"
        yield kind, group["GroupId"], {"id": group["GroupId"]}
    for rule in _items(ec2, "describe_security_group_rules", "SecurityGroupRules"):
        kind = f"aws_vpc_security_group_{'egress' if rule.get('IsEgress') else 'ingress'}_rule"
        yield kind, rule["SecurityGroupRuleId"], {"id": rule["SecurityGroupRuleId"]}
    for gateway in _items(ec2, "describe_internet_gateways", "InternetGateways"):
        yield "aws_internet_gateway", gateway["InternetGatewayId"], {"id": gateway["InternetGatewayId"]}
    for nat in _items(ec2, "describe_nat_gateways", "NatGateways"):
        if nat.get("State") not in ("deleted", "deleting", "failed"):
            yield "aws_nat_gateway", nat["NatGatewayId"], {"id": nat["NatGatewayId"]}
    for address in _items(ec2, "describe_addresses", "Addresses"):
        if address.get("AllocationId"):
            yield "aws_eip", address["AllocationId"], {"id": address["AllocationId"]}
    for flow in _items(ec2, "describe_flow_logs", "FlowLogs"):
        yield "aws_flow_log", flow["FlowLogId"], {"id": flow["FlowLogId"]}
    for table in _items(ec2, "describe_route_tables", "RouteTables"):
        table_id = table["RouteTableId"]
        yield "aws_route_table", table_id, {"id": table_id}
        for item in table.get("Associations") or ():
            association = item["RouteTableAssociationId"]
            if item.get("Main"):
                yield "aws_main_route_table_association", association, {"id": association}
            elif item.get("SubnetId") or item.get("GatewayId"):
                yield (
                    "aws_route_table_association",
                    association,
                    {"id": association, "route_table_id": table_id},
                )


def _elb(aws: Clients, account: str) -> Iterator[Found]:
    elb = aws("elbv2")
    for balancer in _items(elb, "describe_load_balancers", "LoadBalancers"):
        arn = balancer["LoadBalancerArn"]
        yield "aws_lb", arn, {"arn": arn, "id": arn}
        for listener in _items(elb, "describe_listeners", "Listeners", LoadBalancerArn=arn):
            yield "aws_lb_listener", listener["ListenerArn"], {"arn": listener["ListenerArn"]}
    for group in _items(elb, "describe_target_groups", "TargetGroups"):
        yield "aws_lb_target_group", group["TargetGroupArn"], {"arn": group["TargetGroupArn"]}


def _efs(aws: Clients, account: str) -> Iterator[Found]:
    efs = aws("efs")
    for system in _items(efs, "describe_file_systems", "FileSystems"):
        fs_id = system["FileSystemId"]
        yield "aws_efs_file_system", fs_id, {"id": fs_id, "arn": system.get("FileSystemArn")}
        yield "aws_efs_backup_policy", fs_id, {"id": fs_id, "file_system_id": fs_id}
        for target in _items(efs, "describe_mount_targets", "MountTargets", FileSystemId=fs_id):
            yield "aws_efs_mount_target", target["MountTargetId"], {"id": target["MountTargetId"]}
        for point in _items(efs, "describe_access_points", "AccessPoints", FileSystemId=fs_id):
            yield "aws_efs_access_point", point["AccessPointId"], {"id": point["AccessPointId"]}


def _opensearch(aws: Clients, account: str) -> Iterator[Found]:
    domains = aws("opensearch").list_domain_names().get("DomainNames") or ()
    for domain in domains:
        arn = _arn(aws, account, "es", f"domain/{domain['DomainName']}")
        yield "aws_opensearch_domain", arn, {"domain_name": domain["DomainName"], "arn": arn}


def _ecr(aws: Clients, account: str) -> Iterator[Found]:
    for repository in _items(aws("ecr"), "describe_repositories", "repositories"):
        arn, name = repository["repositoryArn"], repository["repositoryName"]
        yield "aws_ecr_repository", arn, {"name": name, "arn": arn}
        yield "aws_ecr_repository_policy", arn, {"repository": name}


def _kms(aws: Clients, account: str) -> Iterator[Found]:
    kms = aws("kms")
    for key in _items(kms, "list_keys", "Keys"):
        metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if metadata.get("KeyManager") != "AWS":
            yield "aws_kms_key", key["KeyId"], {"id": key["KeyId"], "arn": key["KeyArn"]}
    for alias in _items(kms, "list_aliases", "Aliases"):
        if not alias["AliasName"].startswith("alias/aws/"):
            yield "aws_kms_alias", alias["AliasArn"], {"name": alias["AliasName"], "arn": alias["AliasArn"]}


def _secrets(aws: Clients, account: str) -> Iterator[Found]:
    for secret in _items(aws("secretsmanager"), "list_secrets", "SecretList"):
        arn = secret["ARN"]
        yield "aws_secretsmanager_secret", arn, {"arn": arn, "id": arn}
        if secret.get("RotationEnabled"):
            yield "aws_secretsmanager_secret_rotation", arn, {"id": arn, "secret_id": arn}
        for version in sorted(secret.get("SecretVersionsToStages") or {}):
            yield (
                "aws_secretsmanager_secret_version",
                f"{arn}|{version}",
                {"id": f"{arn}|{version}", "secret_id": arn, "version_id": version},
            )


def _ssm(aws: Clients, account: str) -> Iterator[Found]:
    for parameter in _items(aws("ssm"), "describe_parameters", "Parameters"):
        name = parameter["Name"]
        arn = parameter.get("ARN") or _arn(aws, account, "ssm", f"parameter/{name.lstrip('/')}")
        yield "aws_ssm_parameter", arn, {"name": name, "arn": arn}


def _logs(aws: Clients, account: str) -> Iterator[Found]:
    for group in _items(aws("logs"), "describe_log_groups", "logGroups"):
        arn = str(group.get("arn") or _arn(aws, account, "logs", f"log-group:{group['logGroupName']}"))
        arn = arn.removesuffix(":*")
        yield "aws_cloudwatch_log_group", arn, {"name": group["logGroupName"], "arn": arn}


def _buckets(aws: Clients, account: str) -> Iterator[Found]:
    """Buckets whose region is this one (ListBuckets answers every region's buckets)."""
    s3 = aws("s3")
    companions = (
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_replication_configuration",
    )
    for bucket in _items(s3, "list_buckets", "Buckets"):
        name = bucket["Name"]
        region = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        if region != aws.region:
            continue
        for kind in ("aws_s3_bucket", *companions):
            yield kind, name, {"id": name, "bucket": name, "arn": f"arn:aws:s3:::{name}"}


def _ecs(aws: Clients, account: str) -> Iterator[Found]:
    ecs = aws("ecs")
    for cluster in _items(ecs, "list_clusters", "clusterArns"):
        yield "aws_ecs_cluster", cluster, {"arn": cluster, "id": cluster}
        for service in _items(ecs, "list_services", "serviceArns", cluster=cluster):
            yield "aws_ecs_service", service, {"id": service, "arn": service, "cluster": cluster}
    for definition in _items(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        yield "aws_ecs_task_definition", definition, {"arn": definition}


def _lambda(aws: Clients, account: str) -> Iterator[Found]:
    for function in _items(aws("lambda"), "list_functions", "Functions"):
        name, arn = function["FunctionName"], function["FunctionArn"]
        yield "aws_lambda_function", arn, {"function_name": name, "id": name, "arn": arn}


def _acm(aws: Clients, account: str) -> Iterator[Found]:
    for certificate in _items(aws("acm"), "list_certificates", "CertificateSummaryList"):
        arn = certificate["CertificateArn"]
        yield "aws_acm_certificate", arn, {"arn": arn, "id": arn}


def _cloudtrail(aws: Clients, account: str) -> Iterator[Found]:
    trails = aws("cloudtrail").describe_trails(includeShadowTrails=False).get("trailList") or ()
    for trail in trails:
        yield "aws_cloudtrail", trail["TrailARN"], {"arn": trail["TrailARN"]}


def _sns(aws: Clients, account: str) -> Iterator[Found]:
    sns = aws("sns")
    for topic in _items(sns, "list_topics", "Topics"):
        arn = topic["TopicArn"]
        yield "aws_sns_topic", arn, {"arn": arn, "id": arn}
        yield "aws_sns_topic_policy", arn, {"arn": arn}
        for subscription in _items(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn):
            found = subscription.get("SubscriptionArn") or ""
            if found.startswith("arn:"):  # "PendingConfirmation" delivers nothing yet: not a subscriber
                yield "aws_sns_topic_subscription", found, {"arn": found, "id": found}


def _alarms(aws: Clients, account: str) -> Iterator[Found]:
    for alarm in _items(aws("cloudwatch"), "describe_alarms", "MetricAlarms"):
        arn, name = alarm["AlarmArn"], alarm["AlarmName"]
        yield "aws_cloudwatch_metric_alarm", arn, {"id": name, "alarm_name": name, "arn": arn}


def _scheduler(aws: Clients, account: str) -> Iterator[Found]:
    for schedule in _items(aws("scheduler"), "list_schedules", "Schedules"):
        group, name = schedule.get("GroupName") or "default", schedule["Name"]
        arn = schedule.get("Arn") or _arn(aws, account, "scheduler", f"schedule/{group}/{name}")
        yield "aws_scheduler_schedule", arn, {"id": f"{group}/{name}", "name": name, "group_name": group}


def _backup(aws: Clients, account: str) -> Iterator[Found]:
    backup = aws("backup")
    for vault in _items(backup, "list_backup_vaults", "BackupVaultList"):
        arn = vault["BackupVaultArn"]
        yield "aws_backup_vault", arn, {"name": vault["BackupVaultName"], "arn": arn}
    for plan in _items(backup, "list_backup_plans", "BackupPlansList"):
        plan_id = plan["BackupPlanId"]
        yield "aws_backup_plan", plan["BackupPlanArn"], {"id": plan_id, "arn": plan["BackupPlanArn"]}
        for selection in _items(
            backup, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan_id
        ):
            yield (
                "aws_backup_selection",
                selection["SelectionId"],
                {"id": selection["SelectionId"], "plan_id": plan_id},
            )


def _iam(aws: Clients, account: str) -> Iterator[Found]:
    """Global: the account's roles (not service-linked ones), their policies, customer-managed policies."""
    iam = aws("iam")
    for role in _items(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        if role.get("Path", "/").startswith("/aws-service-role/"):
            continue
        yield "aws_iam_role", name, {"name": name, "id": name, "arn": role["Arn"]}
        for policy in _items(iam, "list_role_policies", "PolicyNames", RoleName=name):
            yield "aws_iam_role_policy", f"{name}:{policy}", {"id": f"{name}:{policy}"}
        for attached in _items(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
            arn = attached["PolicyArn"]
            yield "aws_iam_role_policy_attachment", f"{name}/{arn}", {"role": name, "policy_arn": arn}
    for policy in _items(iam, "list_policies", "Policies", Scope="Local"):
        yield "aws_iam_policy", policy["Arn"], {"arn": policy["Arn"], "id": policy["Arn"]}
    providers = iam.list_open_id_connect_providers().get("OpenIDConnectProviderList") or ()
    for provider in providers:
        yield "aws_iam_openid_connect_provider", provider["Arn"], {"arn": provider["Arn"]}


# service -> its lister; a test leaves out services its emulator cannot serve (the keys are boto3's names)
REGIONAL: Mapping[str, Lister] = {
    "ec2": _ec2,
    "elbv2": _elb,
    "efs": _efs,
    "opensearch": _opensearch,
    "ecr": _ecr,
    "kms": _kms,
    "secretsmanager": _secrets,
    "ssm": _ssm,
    "logs": _logs,
    "s3": _buckets,
    "ecs": _ecs,
    "lambda": _lambda,
    "acm": _acm,
    "cloudtrail": _cloudtrail,
    "sns": _sns,
    "cloudwatch": _alarms,
    "backup": _backup,
    "scheduler": _scheduler,
}
GLOBAL: Mapping[str, Lister] = {"iam": _iam}


def discover(
    clients: Clients, regions: Sequence[str], services: Collection[str] | None = None
) -> Iterator[tuple[str, Found]]:
    """(region, found): the account's global objects first (reported in the first region), then every
    object of each region given. `services` limits the listers (None: all of them). A listing the
    endpoint fails (not a denial: that is raised) yields one GAP item naming the call: what it would
    have found is unknown, and the rest is still judged."""
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    account = str(clients("sts").get_caller_identity()["Account"])
    chosen = [(regions[0], GLOBAL)] + [(region, REGIONAL) for region in regions]
    for region, listers in chosen:
        here = clients.at(region)
        for service, lister in listers.items():
            if services is not None and service not in services:
                continue
            try:
                yield from ((region, found) for found in lister(here, account))
            except ClientError as error:
                code = error_code(error)
                if denied(code):
                    raise
                why = f"listing stopped at {getattr(error, 'operation_name', '?')}: {code}"
                yield (
                    region,
                    (GAP, f"{service}-{region}", {"type": f"{service} objects in {region}", "reason": why}),
                )


DISCOVERED_TYPES = frozenset(
    {
        "aws_vpc",
        "aws_subnet",
        "aws_security_group",
        "aws_default_security_group",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_internet_gateway",
        "aws_nat_gateway",
        "aws_eip",
        "aws_flow_log",
        "aws_route_table",
        "aws_route_table_association",
        "aws_main_route_table_association",
        "aws_lb",
        "aws_lb_listener",
        "aws_lb_target_group",
        "aws_efs_file_system",
        "aws_efs_backup_policy",
        "aws_efs_mount_target",
        "aws_efs_access_point",
        "aws_opensearch_domain",
        "aws_ecr_repository",
        "aws_ecr_repository_policy",
        "aws_kms_key",
        "aws_kms_alias",
        "aws_secretsmanager_secret",
        "aws_secretsmanager_secret_rotation",
        "aws_secretsmanager_secret_version",
        "aws_ssm_parameter",
        "aws_cloudwatch_log_group",
        "aws_s3_bucket",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_replication_configuration",
        "aws_ecs_cluster",
        "aws_ecs_service",
        "aws_ecs_task_definition",
        "aws_lambda_function",
        "aws_acm_certificate",
        "aws_cloudtrail",
        "aws_sns_topic",
        "aws_sns_topic_policy",
        "aws_sns_topic_subscription",
        "aws_cloudwatch_metric_alarm",
        "aws_backup_vault",
        "aws_scheduler_schedule",
        "aws_backup_plan",
        "aws_backup_selection",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_policy",
        "aws_iam_openid_connect_provider",
    }
)
"""Every type discovery finds (a test checks each type some rule judges and a describer reads is here)."""


def load_discovered(
    clients: Clients,
    regions: Sequence[str],
    describers: Mapping[str, Describer] = DESCRIBERS,
    services: Collection[str] | None = None,
) -> tuple[Resource, ...]:
    """Every discovered object, described live, as Resources of origin RUNTIME at `<type>.<key>`.

    An object gone between the list and the describe, or a companion setting that is not configured (a
    bucket without a policy), describes as None and is left out: nothing names it, so nothing is missing."""
    described: dict[str, tuple[StateResource, str, dict[str, Any]]] = {}
    gaps: list[Resource] = []
    for region, (kind, key, identifiers) in discover(clients, regions, services):
        address = f"{kind}.{key}"
        if kind == GAP:
            gaps.append(gap(address, str(identifiers["type"]), str(identifiers["reason"])))
            continue
        if address in described:
            continue
        values = describers[kind](identifiers, clients.at(region))
        if values is not None:
            described[address] = (StateResource(address, kind, key, "", identifiers), region, values)
    index: dict[str, str] = {}
    for address, (_, _, values) in described.items():
        for name in ("id", "arn"):
            value = values.get(name)
            if isinstance(value, str) and value:
                index.setdefault(value, address)
    return (
        *(
            resource(item, link_references(values, index, address), region)
            for address, (item, region, values) in described.items()
        ),
        *gaps,
    )
