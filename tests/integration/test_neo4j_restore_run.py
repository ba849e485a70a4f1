"""run_restore.sh (terraform_data.restore's local-exec) against moto's ECS: Neo4j is stopped only for a
forced restore, the force flag reaches the task, and the service gets its task count back even when the
restore cannot be started. moto records no history of desired counts, so "not stopped" is shown by the
count being untouched when the run fails before giving anything back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.live import Clients
from emulator.moto import FAKE_CREDENTIALS, MotoServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "terraform" / "modules" / "neo4j" / "scripts" / "run_restore.sh"
REGION = "ca-central-1"


NETWORK: dict[str, str] = {}


@pytest.fixture(scope="module")
def ecs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """moto with a VPC, two private subnets and a security group for the restore task."""
    with MotoServer(tmp_path_factory.mktemp("moto-ecs")) as url:
        aws = Clients(REGION, url)
        ec2 = aws("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        # as the vpc module makes it (moto's awsvpc tasks also need it: their ENI reports a DNS name)
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24")["Subnet"]["SubnetId"] for i in (10, 11)
        ]
        group = ec2.create_security_group(GroupName="neo4j", Description="neo4j", VpcId=vpc)["GroupId"]
        NETWORK.update(SUBNETS=",".join(subnets), SECURITY_GROUPS=group)
        yield url, aws("ecs")


def neo4j_service(client: Any, name: str) -> dict[str, str]:
    """A cluster, the Neo4j service running one task, and the restore task definition."""
    cluster = client.create_cluster(clusterName=name)["cluster"]["clusterArn"]
    container = {"name": "neo4j", "image": "neo4j:5.15-community", "memory": 512}
    definition = client.register_task_definition(
        family=name, containerDefinitions=[container], requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc", cpu="256", memory="512",
    )["taskDefinition"]["taskDefinitionArn"]  # fmt: skip
    client.create_service(cluster=cluster, serviceName=name, taskDefinition=definition, desiredCount=1)
    restore = client.register_task_definition(
        family=f"{name}-restore",
        containerDefinitions=[{"name": "restore", "image": "aws-cli", "memory": 512}],
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
    )["taskDefinition"]["taskDefinitionArn"]
    return {"CLUSTER": cluster, "SERVICE": name, "TASK_DEFINITION": restore}


def run_restore(url: str, target: dict[str, str], force: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        **FAKE_CREDENTIALS,
        "AWS_REGION": REGION,
        "ENDPOINT_URL": url,
        **NETWORK,
        "BACKUP_VERSION": "v1",
        "FORCE": force,
        "WAIT": "false",  # moto's tasks never stop
        **target,
    }
    return subprocess.run(
        ["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def desired(client: Any, target: dict[str, str]) -> int:
    (service,) = client.describe_services(cluster=target["CLUSTER"], services=[target["SERVICE"]])["services"]
    return int(service["desiredCount"])


def restore_overrides(client: Any, target: dict[str, str]) -> list[dict[str, str]]:
    arns = client.list_tasks(cluster=target["CLUSTER"])["taskArns"]
    tasks = client.describe_tasks(cluster=target["CLUSTER"], tasks=arns)["tasks"]
    (task,) = [t for t in tasks if t["taskDefinitionArn"] == target["TASK_DEFINITION"]]
    (container,) = task["overrides"]["containerOverrides"]
    return list(container["environment"])


@pytest.mark.parametrize("force", ["false", "true"])
def test_the_force_flag_reaches_the_task_and_neo4j_keeps_its_task(ecs: tuple[str, Any], force: str) -> None:
    url, client = ecs
    target = neo4j_service(client, f"neo4j-{force}")
    done = run_restore(url, target, force)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("stopping" in done.stdout) == (force == "true"), done.stdout
    assert {"name": "RESTORE_FORCE", "value": force} in restore_overrides(client, target)
    assert desired(client, target) == 1


def test_a_failed_forced_restore_gives_neo4j_its_task_back(ecs: tuple[str, Any]) -> None:
    url, client = ecs
    target = neo4j_service(client, "neo4j-failing")
    broken = {**target, "TASK_DEFINITION": "no-such-task-definition:1"}
    done = run_restore(url, broken, "true")
    assert done.returncode != 0 and "stopping" in done.stdout
    assert desired(client, target) == 1, "the service was left stopped"


def test_an_unforced_restore_that_fails_never_touched_neo4j(ecs: tuple[str, Any]) -> None:
    url, client = ecs
    target = neo4j_service(client, "neo4j-untouched")
    client.update_service(cluster=target["CLUSTER"], service=target["SERVICE"], desiredCount=2)
    done = run_restore(url, {**target, "TASK_DEFINITION": "no-such-task-definition:1"}, "false")
    assert done.returncode != 0 and "stopping" not in done.stdout
    assert desired(client, target) == 2


def test_a_bad_force_value_is_refused(ecs: tuple[str, Any]) -> None:
    url, client = ecs
    done = run_restore(url, neo4j_service(client, "neo4j-bad-flag"), "yes")
    assert done.returncode == 2 and "FORCE must be true or false" in done.stderr
