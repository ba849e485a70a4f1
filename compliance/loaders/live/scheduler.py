"""Live EventBridge Scheduler schedules in plan attribute shape: what BAK007 reads of a backup or validation
job (its ECS target: task definition, launch type, network)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.loaders.live.aws import Clients, absent, region_of
from compliance.loaders.live.lookup import Values


def _network(config: Mapping[str, Any] | None) -> list[Values]:
    vpc = (config or {}).get("awsvpcConfiguration")
    if not vpc:
        return []
    return [
        {
            "subnets": list(vpc.get("Subnets") or ()),
            "security_groups": list(vpc.get("SecurityGroups") or ()),
            "assign_public_ip": vpc.get("AssignPublicIp") == "ENABLED",
        }
    ]


def _ecs(parameters: Mapping[str, Any] | None) -> list[Values]:
    if not parameters:
        return []
    return [
        {
            "task_definition_arn": parameters.get("TaskDefinitionArn"),
            "launch_type": parameters.get("LaunchType"),
            "platform_version": parameters.get("PlatformVersion"),
            "task_count": parameters.get("TaskCount"),
            "network_configuration": _network(parameters.get("NetworkConfiguration")),
        }
    ]


def scheduler_schedule(state: Mapping[str, Any], aws: Clients) -> Values | None:
    scheduler = aws("scheduler", region_of(state, aws.region))
    group, _, name = str(state["id"]).rpartition("/")
    name = str(state.get("name") or name)
    group = str(state.get("group_name") or group or "default")
    found = absent(lambda: scheduler.get_schedule(Name=name, GroupName=group))
    if found is None:
        return None
    target = found.get("Target") or {}
    return {
        "id": f"{group}/{name}",
        "arn": found.get("Arn"),
        "name": name,
        "group_name": group,
        "schedule_expression": found.get("ScheduleExpression"),
        "schedule_expression_timezone": found.get("ScheduleExpressionTimezone"),
        "state": found.get("State"),
        "target": [
            {
                "arn": target.get("Arn"),
                "role_arn": target.get("RoleArn"),
                "ecs_parameters": _ecs(target.get("EcsParameters")),
            }
        ],
    }


DESCRIBERS = {"aws_scheduler_schedule": scheduler_schedule}
