"""Live workloads, identities and audit trail in plan attribute shape: ECS, IAM, CloudTrail, SNS,
CloudWatch alarms, ACM, Application Auto Scaling and AWS Backup."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from compliance.loaders.live.aws import Clients, absent, policy_text, region_of
from compliance.loaders.live.lookup import Lookup, Values, described


def _document(text: Any) -> str | None:
    """IAM returns policy documents URL-encoded; the provider stores the decoded JSON string."""
    if isinstance(text, str):
        return policy_text(unquote(text))
    return policy_text(text)


def ecs_cluster(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecs = aws("ecs", region_of(state, aws.region))
    answer = ecs.describe_clusters(clusters=[state["arn"]], include=["SETTINGS", "CONFIGURATIONS"])
    clusters = [c for c in answer.get("clusters") or () if c.get("status") != "INACTIVE"]
    if not clusters:
        return None
    found = clusters[0]
    return {
        "id": found["clusterArn"],
        "arn": found["clusterArn"],
        "name": found["clusterName"],
        "setting": [{"name": s["name"], "value": s["value"]} for s in found.get("settings") or ()],
    }


def ecs_capacity_providers(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecs = aws("ecs", region_of(state, aws.region))
    answer = ecs.describe_clusters(clusters=[state["cluster_name"]])
    clusters = [c for c in answer.get("clusters") or () if c.get("status") != "INACTIVE"]
    if not clusters:
        return None
    found = clusters[0]
    return {
        "id": found["clusterName"],
        "cluster_name": found["clusterName"],
        "capacity_providers": list(found.get("capacityProviders") or ()),
        "default_capacity_provider_strategy": [
            {"capacity_provider": s.get("capacityProvider"), "weight": s.get("weight"), "base": s.get("base")}
            for s in found.get("defaultCapacityProviderStrategy") or ()
        ],
    }


def _efs_volume(config: Mapping[str, Any] | None) -> list[Values]:
    if not config:
        return []
    auth = config.get("authorizationConfig")
    return [
        {
            "file_system_id": config.get("fileSystemId"),
            "root_directory": config.get("rootDirectory", "/"),
            "transit_encryption": config.get("transitEncryption", "DISABLED"),
            "transit_encryption_port": config.get("transitEncryptionPort", 0),
            "authorization_config": [{"access_point_id": auth.get("accessPointId"), "iam": auth.get("iam")}]
            if auth
            else [],
        }
    ]


def ecs_task_definition(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecs = aws("ecs", region_of(state, aws.region))
    answer = absent(lambda: ecs.describe_task_definition(taskDefinition=state["arn"]), "ClientException")
    if answer is None or answer["taskDefinition"].get("status") == "INACTIVE":
        return None
    found = answer["taskDefinition"]
    return {
        "id": found["family"],
        "arn": found["taskDefinitionArn"],
        "family": found["family"],
        "revision": found.get("revision"),
        "container_definitions": json.dumps(found.get("containerDefinitions") or [], sort_keys=True),
        "task_role_arn": found.get("taskRoleArn", ""),
        "execution_role_arn": found.get("executionRoleArn", ""),
        "network_mode": found.get("networkMode"),
        "requires_compatibilities": list(found.get("requiresCompatibilities") or ()),
        "cpu": found.get("cpu"),
        "memory": found.get("memory"),
        "volume": [
            {
                "name": v["name"],
                "host_path": (v.get("host") or {}).get("sourcePath", ""),
                "efs_volume_configuration": _efs_volume(v.get("efsVolumeConfiguration")),
            }
            for v in found.get("volumes") or ()
        ],
    }


def ecs_service(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecs = aws("ecs", region_of(state, aws.region))
    answer = ecs.describe_services(cluster=state["cluster"], services=[state["id"]])
    services = [s for s in answer.get("services") or () if s.get("status") != "INACTIVE"]
    if not services:
        return None
    found = services[0]
    network = (found.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    deployment = found.get("deploymentConfiguration") or {}
    breaker = deployment.get("deploymentCircuitBreaker")
    return {
        "id": found["serviceArn"],
        "arn": found["serviceArn"],
        "name": found["serviceName"],
        "cluster": found["clusterArn"],
        "task_definition": found.get("taskDefinition"),
        "launch_type": found.get("launchType", ""),
        "desired_count": found.get("desiredCount"),
        "platform_version": found.get("platformVersion", ""),
        "enable_execute_command": bool(found.get("enableExecuteCommand")),
        "network_configuration": [
            {
                "subnets": sorted(network.get("subnets") or ()),
                "security_groups": sorted(network.get("securityGroups") or ()),
                "assign_public_ip": network.get("assignPublicIp") == "ENABLED",
            }
        ]
        if network
        else [],
        "load_balancer": [
            {
                "target_group_arn": lb.get("targetGroupArn"),
                "container_name": lb.get("containerName"),
                "container_port": lb.get("containerPort"),
            }
            for lb in found.get("loadBalancers") or ()
        ],
        "service_registries": [
            {"registry_arn": r.get("registryArn")} for r in found.get("serviceRegistries") or ()
        ],
        "deployment_circuit_breaker": [
            {"enable": bool(breaker.get("enable")), "rollback": bool(breaker.get("rollback"))}
        ]
        if breaker
        else [],
    }


def _iam_role(found: Mapping[str, Any], state: Mapping[str, Any], iam: Any) -> Values | None:
    name = str(state.get("name") or state["id"])
    attached = iam.list_attached_role_policies(RoleName=name).get("AttachedPolicies") or []
    boundary = found.get("PermissionsBoundary") or {}
    return {
        "id": name,
        "name": name,
        "arn": found["Arn"],
        "path": found.get("Path", "/"),
        "assume_role_policy": _document(found.get("AssumeRolePolicyDocument")),
        "max_session_duration": found.get("MaxSessionDuration"),
        "permissions_boundary": boundary.get("PermissionsBoundaryArn", ""),
        "managed_policy_arns": sorted(p["PolicyArn"] for p in attached),
    }


def iam_role_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    iam = aws("iam")
    role, _, name = str(state["id"]).partition(":")
    answer = absent(lambda: iam.get_role_policy(RoleName=role, PolicyName=name))
    if answer is None:
        return None
    return {"id": state["id"], "role": role, "name": name, "policy": _document(answer.get("PolicyDocument"))}


def iam_role_policy_attachment(state: Mapping[str, Any], aws: Clients) -> Values | None:
    iam = aws("iam")
    role, policy_arn = str(state["role"]), str(state["policy_arn"])
    answer = absent(lambda: iam.list_attached_role_policies(RoleName=role))
    attached = {p["PolicyArn"] for p in (answer or {}).get("AttachedPolicies") or ()}
    if policy_arn not in attached:
        return None
    return {"id": state.get("id"), "role": role, "policy_arn": policy_arn}


def iam_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    iam = aws("iam")
    answer = absent(lambda: iam.get_policy(PolicyArn=state["arn"]))
    if answer is None:
        return None
    found = answer["Policy"]
    version = iam.get_policy_version(PolicyArn=found["Arn"], VersionId=found["DefaultVersionId"])
    return {
        "id": found["Arn"],
        "arn": found["Arn"],
        "name": found["PolicyName"],
        "path": found.get("Path", "/"),
        "description": found.get("Description", ""),
        "policy": _document(version["PolicyVersion"].get("Document")),
    }


def iam_oidc_provider(state: Mapping[str, Any], aws: Clients) -> Values | None:
    iam = aws("iam")
    answer = absent(lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=state["arn"]))
    if answer is None:
        return None
    return {
        "id": state["arn"],
        "arn": state["arn"],
        "url": answer.get("Url"),
        "client_id_list": list(answer.get("ClientIDList") or ()),
        "thumbprint_list": list(answer.get("ThumbprintList") or ()),
    }


def cloudtrail(state: Mapping[str, Any], aws: Clients) -> Values | None:
    trails = aws("cloudtrail", region_of(state, aws.region))
    answer = trails.describe_trails(trailNameList=[state["arn"]])
    found = next(iter(answer.get("trailList") or ()), None)
    if found is None:
        return None
    status = trails.get_trail_status(Name=found["TrailARN"])
    return {
        "id": found["TrailARN"],
        "arn": found["TrailARN"],
        "name": found["Name"],
        "s3_bucket_name": found.get("S3BucketName"),
        "s3_key_prefix": found.get("S3KeyPrefix", ""),
        "is_multi_region_trail": bool(found.get("IsMultiRegionTrail")),
        "include_global_service_events": bool(found.get("IncludeGlobalServiceEvents")),
        "enable_log_file_validation": bool(found.get("LogFileValidationEnabled")),
        "kms_key_id": found.get("KmsKeyId", ""),
        "cloud_watch_logs_group_arn": found.get("CloudWatchLogsLogGroupArn", ""),
        "is_organization_trail": bool(found.get("IsOrganizationTrail")),
        "enable_logging": bool(status.get("IsLogging")),
    }


def _sns_topic(found: Mapping[str, Any], state: Mapping[str, Any], sns: Any) -> Values | None:
    return {
        "id": found["TopicArn"],
        "arn": found["TopicArn"],
        "name": found["TopicArn"].rsplit(":", 1)[-1],
        "kms_master_key_id": found.get("KmsMasterKeyId", ""),
        "policy": policy_text(found.get("Policy")),
    }


def metric_alarm(state: Mapping[str, Any], aws: Clients) -> Values | None:
    cloudwatch = aws("cloudwatch", region_of(state, aws.region))
    name = str(state.get("alarm_name") or state["id"])
    found = next(iter(cloudwatch.describe_alarms(AlarmNames=[name]).get("MetricAlarms") or ()), None)
    if found is None:
        return None
    return {
        "id": name,
        "arn": found.get("AlarmArn"),
        "alarm_name": name,
        "namespace": found.get("Namespace"),
        "metric_name": found.get("MetricName"),
        "comparison_operator": found.get("ComparisonOperator"),
        "threshold": found.get("Threshold"),
        "actions_enabled": bool(found.get("ActionsEnabled")),
        "alarm_actions": list(found.get("AlarmActions") or ()),
        "ok_actions": list(found.get("OKActions") or ()),
        "dimensions": _dimensions(found.get("Dimensions")),
        "metric_query": [_metric_query(q) for q in found.get("Metrics") or ()],
    }


def _dimensions(found: Any) -> dict[str, Any]:
    return {d["Name"]: d.get("Value") for d in found or () if isinstance(d, Mapping) and "Name" in d}


def _metric_query(query: Mapping[str, Any]) -> Values:
    """One metric math query, shaped as the provider's metric_query block (its metric as a list)."""
    stat = query.get("MetricStat") or {}
    metric = stat.get("Metric") or {}
    return {
        "id": query.get("Id"),
        "expression": query.get("Expression"),
        "return_data": query.get("ReturnData"),
        "metric": [
            {
                "namespace": metric.get("Namespace"),
                "metric_name": metric.get("MetricName"),
                "dimensions": _dimensions(metric.get("Dimensions")),
                "stat": stat.get("Stat"),
                "period": stat.get("Period"),
            }
        ]
        if metric
        else [],
    }


def _acm_certificate(found: Mapping[str, Any], state: Mapping[str, Any], acm: Any) -> Values | None:
    return {
        "id": found["CertificateArn"],
        "arn": found["CertificateArn"],
        "domain_name": found.get("DomainName"),
        "key_algorithm": found.get("KeyAlgorithm"),
        "status": found.get("Status"),
        "validation_method": _validation_method(found),
        "subject_alternative_names": list(found.get("SubjectAlternativeNames") or ()),
    }


def _validation_method(certificate: Mapping[str, Any]) -> str | None:
    options = certificate.get("DomainValidationOptions") or []
    return str(options[0].get("ValidationMethod")) if options else None


def appautoscaling_target(state: Mapping[str, Any], aws: Clients) -> Values | None:
    scaling = aws("application-autoscaling", region_of(state, aws.region))
    answer = scaling.describe_scalable_targets(
        ServiceNamespace=state["service_namespace"], ResourceIds=[state["resource_id"]]
    )
    found = next(iter(answer.get("ScalableTargets") or ()), None)
    if found is None:
        return None
    return {
        "id": found["ResourceId"],
        "resource_id": found["ResourceId"],
        "service_namespace": found["ServiceNamespace"],
        "scalable_dimension": found["ScalableDimension"],
        "min_capacity": found.get("MinCapacity"),
        "max_capacity": found.get("MaxCapacity"),
    }


def appautoscaling_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    scaling = aws("application-autoscaling", region_of(state, aws.region))
    answer = scaling.describe_scaling_policies(
        ServiceNamespace=state["service_namespace"],
        PolicyNames=[state["name"]],
        ResourceId=state["resource_id"],
    )
    found = next(iter(answer.get("ScalingPolicies") or ()), None)
    if found is None:
        return None
    return {
        "id": found["PolicyName"],
        "arn": found.get("PolicyARN"),
        "name": found["PolicyName"],
        "policy_type": found.get("PolicyType"),
        "resource_id": found["ResourceId"],
        "service_namespace": found["ServiceNamespace"],
    }


def backup_vault(state: Mapping[str, Any], aws: Clients) -> Values | None:
    backup = aws("backup", region_of(state, aws.region))
    found = absent(lambda: backup.describe_backup_vault(BackupVaultName=state["name"]))
    if found is None:
        return None
    return {
        "id": found["BackupVaultName"],
        "arn": found.get("BackupVaultArn"),
        "name": found["BackupVaultName"],
        "kms_key_arn": found.get("EncryptionKeyArn", ""),
    }


def backup_plan(state: Mapping[str, Any], aws: Clients) -> Values | None:
    backup = aws("backup", region_of(state, aws.region))
    answer = absent(lambda: backup.get_backup_plan(BackupPlanId=state["id"]))
    if answer is None:
        return None
    found = answer["BackupPlan"]
    return {
        "id": answer["BackupPlanId"],
        "arn": answer.get("BackupPlanArn"),
        "name": found["BackupPlanName"],
        "rule": [
            {
                "rule_name": r.get("RuleName"),
                "target_vault_name": r.get("TargetBackupVaultName"),
                "schedule": r.get("ScheduleExpression"),
                "lifecycle": [{"delete_after": (r.get("Lifecycle") or {}).get("DeleteAfterDays")}]
                if r.get("Lifecycle")
                else [],
                "copy_action": [
                    {"destination_vault_arn": c.get("DestinationBackupVaultArn")}
                    for c in r.get("CopyActions") or ()
                ],
            }
            for r in found.get("Rules") or ()
        ],
    }


def lambda_function(state: Mapping[str, Any], aws: Clients) -> Values | None:
    """Configuration only: environment variable names are kept, their values only when they are URLs (an
    endpoint's scheme and host, userinfo dropped: the in-transit rules judge them), never others (they
    may be secrets)."""
    functions = aws("lambda", region_of(state, aws.region))
    name = str(state.get("function_name") or state["id"])
    answer = absent(lambda: functions.get_function_configuration(FunctionName=name))
    if answer is None:
        return None
    vpc = answer.get("VpcConfig") or {}
    variables = (answer.get("Environment") or {}).get("Variables") or {}
    return {
        "id": name,
        "arn": answer.get("FunctionArn"),
        "function_name": name,
        "role": answer.get("Role"),
        "runtime": answer.get("Runtime"),
        "kms_key_arn": answer.get("KMSKeyArn", ""),
        "vpc_config": [
            {
                "subnet_ids": sorted(vpc.get("SubnetIds") or ()),
                "security_group_ids": sorted(vpc.get("SecurityGroupIds") or ()),
                "vpc_id": vpc.get("VpcId"),
            }
        ]
        if vpc.get("SubnetIds")
        else [],
        "environment_variable_names": sorted(variables),
        "environment": [{"variables": {k: _url(v) for k, v in variables.items() if _url(v)}}],
        "tracing_config": [{"mode": (answer.get("TracingConfig") or {}).get("Mode", "PassThrough")}],
    }


def lambda_permission(state: Mapping[str, Any], aws: Clients) -> Values | None:
    functions = aws("lambda", region_of(state, aws.region))
    name = str(state["function_name"])
    answer = absent(lambda: functions.get_policy(FunctionName=name))
    document = json.loads((answer or {}).get("Policy") or "{}")
    for statement in document.get("Statement") or ():
        if statement.get("Sid") == state.get("statement_id"):
            principal = statement.get("Principal")
            return {
                "id": statement.get("Sid"),
                "statement_id": statement.get("Sid"),
                "function_name": name,
                "action": statement.get("Action"),
                "principal": principal.get("Service", principal.get("AWS"))
                if isinstance(principal, dict)
                else principal,
                "source_arn": (statement.get("Condition") or {}).get("ArnLike", {}).get("AWS:SourceArn"),
            }
    return None


def sns_topic_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    sns = aws("sns", region_of(state, aws.region))
    answer = absent(lambda: sns.get_topic_attributes(TopicArn=state["arn"]))
    if answer is None:
        return None
    return {
        "id": state["arn"],
        "arn": state["arn"],
        "policy": policy_text(answer["Attributes"].get("Policy")),
    }


def _sns_subscription(found: Mapping[str, Any], state: Mapping[str, Any], sns: Any) -> Values | None:
    return {
        "id": state["arn"],
        "arn": state["arn"],
        "topic_arn": found.get("TopicArn"),
        "protocol": found.get("Protocol"),
        "endpoint": found.get("Endpoint"),
    }


def backup_selection(state: Mapping[str, Any], aws: Clients) -> Values | None:
    backup = aws("backup", region_of(state, aws.region))
    answer = absent(
        lambda: backup.get_backup_selection(BackupPlanId=state["plan_id"], SelectionId=state["id"])
    )
    if answer is None:
        return None
    found = answer["BackupSelection"]
    return {
        "id": answer.get("SelectionId"),
        "plan_id": answer.get("BackupPlanId"),
        "name": found.get("SelectionName"),
        "iam_role_arn": found.get("IamRoleArn"),
        "resources": sorted(found.get("Resources") or ()),
    }


DESCRIBERS = {
    "aws_ecs_cluster": ecs_cluster,
    "aws_ecs_cluster_capacity_providers": ecs_capacity_providers,
    "aws_ecs_task_definition": ecs_task_definition,
    "aws_ecs_service": ecs_service,
    "aws_iam_role": described(
        Lookup("iam", "get_role", "RoleName", "Role", identifier=("name", "id"), listed=False), _iam_role
    ),
    "aws_iam_role_policy": iam_role_policy,
    "aws_iam_role_policy_attachment": iam_role_policy_attachment,
    "aws_iam_policy": iam_policy,
    "aws_iam_openid_connect_provider": iam_oidc_provider,
    "aws_cloudtrail": cloudtrail,
    "aws_sns_topic": described(
        Lookup("sns", "get_topic_attributes", "TopicArn", "Attributes", identifier="arn", listed=False),
        _sns_topic,
    ),
    "aws_cloudwatch_metric_alarm": metric_alarm,
    "aws_acm_certificate": described(
        Lookup(
            "acm", "describe_certificate", "CertificateArn", "Certificate", identifier="arn", listed=False
        ),
        _acm_certificate,
    ),
    "aws_appautoscaling_target": appautoscaling_target,
    "aws_appautoscaling_policy": appautoscaling_policy,
    "aws_backup_vault": backup_vault,
    "aws_backup_plan": backup_plan,
    "aws_backup_selection": backup_selection,
    "aws_lambda_function": lambda_function,
    "aws_lambda_permission": lambda_permission,
    "aws_sns_topic_policy": sns_topic_policy,
    "aws_sns_topic_subscription": described(
        Lookup(
            "sns",
            "get_subscription_attributes",
            "SubscriptionArn",
            "Attributes",
            identifier="arn",
            listed=False,
        ),
        _sns_subscription,
    ),
}


def _url(value: Any) -> str | None:
    """A URL without its userinfo (user:password@), or None for any other value."""
    match = re.match(r"^([a-z][a-z0-9+.-]*://)(?:[^/@]*@)?(.*)$", value) if isinstance(value, str) else None
    return match.group(1) + match.group(2) if match else None
