"""The live describer of EventBridge Scheduler schedules against moto in-process, and BAK007 judging a backup
and its validation job from live objects as it does from a plan."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance import engine
from compliance.loaders.live import Clients, load_runtime
from compliance.loaders.live.discovery import load_discovered
from compliance.loaders.live.scheduler import scheduler_schedule
from compliance.model import Model, Status
from compliance.rules import RULES

REGION = "ca-central-1"
ASSUME = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _job(aws: Clients, name: str, action: str, volume: dict[str, Any] | None) -> dict[str, str]:
    """A task role allowed `action` on the archive, a task definition (mounting `volume`), a schedule."""
    iam, ecs = aws("iam"), aws("ecs")
    role = iam.create_role(RoleName=f"{name}-task", AssumeRolePolicyDocument=json.dumps(ASSUME))["Role"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": [action], "Resource": ["arn:aws:s3:::backups/graph.tar.gz"]}
        ],
    }
    iam.put_role_policy(RoleName=role["RoleName"], PolicyName="s3", PolicyDocument=json.dumps(policy))
    task = ecs.register_task_definition(
        family=name,
        taskRoleArn=role["Arn"],
        containerDefinitions=[
            {"name": "job", "image": "public.ecr.aws/aws-cli/aws-cli:2.17.0", "memory": 512}
        ],
        volumes=[volume] if volume else [],
    )["taskDefinition"]
    schedule = aws("scheduler").create_schedule(
        Name=name,
        ScheduleExpression="cron(0 3 * * ? *)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": f"arn:aws:ecs:{REGION}:123456789012:cluster/jobs",
            "RoleArn": role["Arn"],
            "EcsParameters": {
                "TaskDefinitionArn": task["taskDefinitionArn"],
                "LaunchType": "FARGATE",
                "NetworkConfiguration": {
                    "awsvpcConfiguration": {"Subnets": ["subnet-1"], "AssignPublicIp": "DISABLED"}
                },
            },
        },
    )
    return {
        "role": role["RoleName"],
        "role_arn": role["Arn"],
        "task": task["taskDefinitionArn"],
        "schedule": schedule["ScheduleArn"],
    }


def test_a_schedule_reads_as_its_ecs_target(aws: Clients) -> None:
    job = _job(aws, "backup", "s3:PutObject", None)
    values = scheduler_schedule({"id": "default/backup", "name": "backup"}, aws)
    assert values is not None
    (target,) = values["target"]
    (ecs,) = target["ecs_parameters"]
    assert ecs["task_definition_arn"] == job["task"] and ecs["launch_type"] == "FARGATE"
    assert ecs["network_configuration"] == [
        {"subnets": ["subnet-1"], "security_groups": [], "assign_public_ip": False}
    ]
    assert scheduler_schedule({"id": "default/gone", "name": "gone"}, aws) is None


def _resource(address: str, values: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "values": values}


@pytest.mark.parametrize("validated", [True, False])
def test_bak007_judges_the_live_jobs(aws: Clients, validated: bool) -> None:
    efs = aws("efs").create_file_system(CreationToken="graph", Encrypted=True)
    volume = {
        "name": "data",
        "efsVolumeConfiguration": {"fileSystemId": efs["FileSystemId"], "transitEncryption": "ENABLED"},
    }
    backup = _job(aws, "backup", "s3:PutObject", volume)
    check = _job(aws, "validation", "s3:GetObject" if validated else "s3:ListBucket", None)
    items = [_resource("aws_efs_file_system.graph", {"id": efs["FileSystemId"], "arn": efs["FileSystemArn"]})]
    for name, job in (("backup", backup), ("validation", check)):
        items += [
            _resource(
                f"aws_scheduler_schedule.{name}",
                {"id": f"default/{name}", "name": name, "arn": job["schedule"]},
            ),
            _resource(f"aws_ecs_task_definition.{name}", {"id": name, "arn": job["task"]}),
            _resource(
                f"aws_iam_role.{name}", {"id": job["role"], "name": job["role"], "arn": job["role_arn"]}
            ),
            _resource(
                f"aws_iam_role_policy.{name}", {"id": f"{job['role']}:s3", "role": job["role"], "name": "s3"}
            ),
        ]
    load = load_runtime({"values": {"root_module": {"resources": items}}}, aws)
    assert not load.missing
    (rule,) = [r for r in RULES if r.id == "BAK007"]
    (finding,) = engine.run([rule], Model(load.resources))
    assert finding.status == (Status.PASS if validated else Status.FAIL), finding.message


def test_discovery_finds_the_schedules_and_bak007_passes_on_them(aws: Clients) -> None:
    """`scan --live` without a state lists the schedules too: without them BAK007 would fail every file system."""
    efs = aws("efs").create_file_system(CreationToken="graph", Encrypted=True)
    volume = {
        "name": "data",
        "efsVolumeConfiguration": {"fileSystemId": efs["FileSystemId"], "transitEncryption": "ENABLED"},
    }
    backup = _job(aws, "backup", "s3:PutObject", volume)
    _job(aws, "validation", "s3:GetObject", None)
    found = load_discovered(aws, [REGION], services={"efs", "ecs", "scheduler", "iam"})
    schedules = {r.address for r in found if r.type == "aws_scheduler_schedule"}
    assert f"aws_scheduler_schedule.{backup['schedule']}" in schedules and len(schedules) == 2
    (rule,) = [r for r in RULES if r.id == "BAK007"]
    (finding,) = engine.run([rule], Model(found))
    assert finding.status is Status.PASS, finding.message
