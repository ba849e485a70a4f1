"""tools.deploy end to end against a moto server over HTTP: register, update, wait, verify, and rollback to the
exact previous revision on an induced failure, leaving nothing half-done. The tool runs as a subprocess (its
real command line, output and exit code).

Stand-ins, because they cannot exist here: the load balancer is a local HTTP server whose /livez and /readyz
answers each test chooses (moto's ELB serves no traffic); moto has no task scheduler, so the server runs with
MOTO_ECS_SERVICE_RUNNING=1 (services report their one task running) and cannot trip a deployment circuit
breaker, which test_deploy_ecs.py covers with a scripted ECS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest

from emulator.moto import FAKE_CREDENTIALS, MotoServer

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/api"
OLD_IMAGE = f"{REPOSITORY}:v0.1.0"
DIGEST = "sha256:" + "ab" * 32
NEW_IMAGE = f"{REPOSITORY}@{DIGEST}"
ALARM = "notegen-test-api-5xx"
# What a revision carries besides the image: all of it must survive a deploy unchanged.
CONTAINER = {
    "name": "api",
    "image": OLD_IMAGE,
    "essential": True,
    "cpu": 512,
    "memory": 1024,
    "readonlyRootFilesystem": True,
    "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
    "environment": [{"name": "APP_ENV", "value": "test"}],
    "secrets": [
        {
            "name": "LANGFUSE_SECRET_KEY",
            "valueFrom": "arn:aws:secretsmanager:ca-central-1:123456789012:secret:x-AbCdEf:secret_key::",
        }
    ],
    "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/notegen-test-api",
            "awslogs-region": "ca-central-1",
            "awslogs-stream-prefix": "api",
        },
    },
}
SIDECAR = {
    "name": "otel",
    "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0",
    "essential": False,
}


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    previous = os.environ.get("MOTO_ECS_SERVICE_RUNNING")
    os.environ["MOTO_ECS_SERVICE_RUNNING"] = "1"  # read by the server process at start
    try:
        with MotoServer(tmp_path_factory.mktemp("moto")) as url:
            yield url
    finally:
        if previous is None:
            os.environ.pop("MOTO_ECS_SERVICE_RUNNING", None)
        else:
            os.environ["MOTO_ECS_SERVICE_RUNNING"] = previous


@dataclass
class Balancer:
    """The load balancer's stand-in: answers per path, and an optional hook on the first /readyz."""

    answers: dict[str, int] = field(default_factory=lambda: {"/livez": 200, "/readyz": 200})
    on_ready: Any = None
    url: str = ""


@pytest.fixture
def balancer() -> Iterator[Balancer]:
    state = Balancer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/readyz" and state.on_ready is not None:
                hook, state.on_ready = state.on_ready, None
                hook()
            self.send_response(state.answers.get(self.path, 404))
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Stack:
    url: str
    cluster: str
    service: str
    family: str
    first: str

    def client(self, name: str) -> Any:
        return boto3.client(
            name,
            endpoint_url=self.url,
            region_name="ca-central-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def running(self) -> str:
        return str(
            self.client("ecs").describe_services(cluster=self.cluster, services=[self.service])["services"][
                0
            ]["taskDefinition"]
        )

    def active_revisions(self) -> list[str]:
        return list(
            self.client("ecs").list_task_definitions(familyPrefix=self.family, status="ACTIVE")[
                "taskDefinitionArns"
            ]
        )


@pytest.fixture
def stack(moto_url: str, request: pytest.FixtureRequest) -> Stack:
    """A cluster, a service on revision 1 of its family (as Terraform leaves it) and an alarm."""
    name = "t" + str(abs(hash(request.node.name)) % 10**8)
    stack = Stack(moto_url, f"{name}-cluster", f"{name}-api", f"{name}-api", "")
    ecs = stack.client("ecs")
    ecs.create_cluster(clusterName=stack.cluster)
    containers = [CONTAINER, SIDECAR] if "sidecar" in request.node.name else [CONTAINER]
    stack.first = ecs.register_task_definition(
        family=stack.family,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="512",
        memory="1024",
        executionRoleArn="arn:aws:iam::123456789012:role/notegen-test-api-exec",
        taskRoleArn="arn:aws:iam::123456789012:role/notegen-test-api-task",
        runtimePlatform={"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        containerDefinitions=containers,
        tags=[{"key": "Environment", "value": "test"}],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster=stack.cluster,
        serviceName=stack.service,
        taskDefinition=stack.first,
        desiredCount=1,
        launchType="FARGATE",
    )
    stack.client("cloudwatch").put_metric_alarm(
        AlarmName=ALARM, MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold",
    )  # fmt: skip
    return stack


def deploy(stack: Stack, *extra: str, image: str = NEW_IMAGE) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tools.deploy", "--cluster", stack.cluster, "--service", stack.service]
    command += ["--image", image, "--endpoint-url", stack.url, "--region", "ca-central-1"]
    command += ["--interval", "0.2", "--timeout", "20", "--health-timeout", "2", *extra]
    env = {**os.environ, **FAKE_CREDENTIALS}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def registered(stack: Stack, arn: str) -> dict[str, Any]:
    answer = stack.client("ecs").describe_task_definition(taskDefinition=arn, include=["TAGS"])
    definition: dict[str, Any] = answer["taskDefinition"]
    volatile = ("taskDefinitionArn", "revision", "registeredAt", "registeredBy", "status", "deregisteredAt")
    return {**{k: v for k, v in definition.items() if k not in volatile}, "tags": answer.get("tags")}


def test_deploys_the_digest_and_changes_nothing_else(stack: Stack, balancer: Balancer) -> None:
    done = deploy(stack, "--url", balancer.url, "--alarm", ALARM)
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)
    new = stack.running()
    assert new != stack.first and new.endswith(f"{stack.family}:2")
    before, after = registered(stack, stack.first), registered(stack, new)
    assert after["containerDefinitions"][0]["image"] == NEW_IMAGE
    after["containerDefinitions"][0]["image"] = OLD_IMAGE
    assert after == before, "the new revision differs from the previous one beyond the image"
    for step in ("register", "update", "steady", "verify", "deployed"):
        assert any(line.startswith(step) for line in done.stdout.splitlines()), step
    assert "/readyz 200" in done.stdout and done.stderr == ""


def test_failed_readiness_rolls_back_to_the_exact_previous_revision(stack: Stack, balancer: Balancer) -> None:
    balancer.answers["/readyz"] = 503
    done = deploy(stack, "--url", balancer.url)
    print(done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr
    assert stack.running() == stack.first
    assert stack.active_revisions() == [stack.first], "the failed revision is left registered"
    assert "answered 503" in done.stdout and f"rolled back to {stack.family}:1" in done.stdout


def test_sigterm_during_verification_rolls_back(stack: Stack, balancer: Balancer) -> None:
    """A cancelled CI job (SIGTERM) while the tool waits for readiness leaves nothing half-done."""
    balancer.answers["/readyz"] = 503
    command = [sys.executable, "-m", "tools.deploy", "--cluster", stack.cluster, "--service", stack.service]
    command += [
        "--image",
        NEW_IMAGE,
        "--endpoint-url",
        stack.url,
        "--region",
        "ca-central-1",
        "--url",
        balancer.url,
    ]
    command += ["--interval", "0.2", "--timeout", "20", "--health-timeout", "60"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **FAKE_CREDENTIALS},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("verify") or line.startswith("steady"):
                process.send_signal(signal.SIGTERM)
                break
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    output = "".join(lines) + out
    assert process.returncode == 1, output + err
    assert "failed    interrupted" in output and f"rolled back to {stack.family}:1" in output
    assert stack.running() == stack.first and stack.active_revisions() == [stack.first]


def test_an_alarm_during_the_deployment_rolls_back(stack: Stack, balancer: Balancer) -> None:
    cloudwatch = stack.client("cloudwatch")
    balancer.on_ready = lambda: cloudwatch.set_alarm_state(
        AlarmName=ALARM, StateValue="ALARM", StateReason="test: 5xx"
    )
    done = deploy(stack, "--url", balancer.url, "--alarm", ALARM)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"alarm(s) in ALARM after the deployment: {ALARM}" in done.stdout
    assert stack.running() == stack.first and stack.active_revisions() == [stack.first]


def test_a_firing_alarm_refuses_the_deployment_before_any_change(stack: Stack) -> None:
    stack.client("cloudwatch").set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="test")
    done = deploy(stack, "--alarm", ALARM)
    assert done.returncode == 1 and "nothing changed" in done.stdout
    assert stack.active_revisions() == [stack.first] and stack.running() == stack.first


def test_a_second_deploy_of_the_same_digest_is_a_no_op(stack: Stack) -> None:
    assert deploy(stack).returncode == 0
    running = stack.running()
    again = deploy(stack)
    assert again.returncode == 0 and "nothing to deploy" in again.stdout
    assert stack.running() == running and len(stack.active_revisions()) == 2


def test_with_a_sidecar_only_the_container_of_the_repository_changes(stack: Stack) -> None:
    assert deploy(stack).returncode == 0
    containers = {c["name"]: c["image"] for c in registered(stack, stack.running())["containerDefinitions"]}
    assert containers == {"api": NEW_IMAGE, "otel": SIDECAR["image"]}


def test_base_carries_a_terraform_revision_to_the_service(stack: Stack) -> None:
    """Terraform registered revision 2 (new configuration) that the service ignores; --base deploys it."""
    ecs = stack.client("ecs")
    first = ecs.describe_task_definition(taskDefinition=stack.first)["taskDefinition"]
    changed = [
        {
            **CONTAINER,
            "environment": [{"name": "APP_ENV", "value": "test"}, {"name": "LOG_LEVEL", "value": "debug"}],
        }
    ]
    keys = (
        "family",
        "networkMode",
        "requiresCompatibilities",
        "cpu",
        "memory",
        "executionRoleArn",
        "taskRoleArn",
    )
    terraform = ecs.register_task_definition(**{k: first[k] for k in keys}, containerDefinitions=changed)
    done = deploy(stack, "--base", f"{stack.family}:2")
    assert done.returncode == 0, done.stdout + done.stderr
    running = registered(stack, stack.running())
    assert (
        stack.running().endswith(f"{stack.family}:3")
        and running["containerDefinitions"][0]["image"] == NEW_IMAGE
    )
    assert {"name": "LOG_LEVEL", "value": "debug"} in running["containerDefinitions"][0]["environment"]
    assert terraform["taskDefinition"]["taskDefinitionArn"] in stack.active_revisions()


def test_a_base_of_another_family_is_bad_input(stack: Stack) -> None:
    other = stack.client("ecs").register_task_definition(
        family="someone-else", containerDefinitions=[CONTAINER]
    )
    done = deploy(stack, "--base", other["taskDefinition"]["taskDefinitionArn"])
    assert done.returncode == 2 and "not a revision of the service's family" in done.stderr
    assert stack.running() == stack.first


@pytest.mark.parametrize(
    ("args", "image", "message"),
    [
        ((), f"{REPOSITORY}:v0.2.0", "must be <repository>@sha256:"),
        ((), "ghcr.io/other/api@" + DIGEST, "0 containers of"),
        (("--container", "nope"), NEW_IMAGE, "container 'nope' is not in"),
        (("--base", "nope:9"), NEW_IMAGE, "task definition nope:9"),
        (("--url", "ftp://x"), NEW_IMAGE, "must be an http(s) URL"),
        (("--timeout", "0"), NEW_IMAGE, "must be positive"),
        (("--alarm", "no-such-alarm"), NEW_IMAGE, "alarm(s) not found: no-such-alarm"),
    ],
)
def test_bad_input_changes_nothing(stack: Stack, args: tuple[str, ...], image: str, message: str) -> None:
    done = deploy(stack, *args, image=image)
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert done.returncode == (1 if "alarm" in message else 2)
    assert message in done.stderr + done.stdout
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert stack.active_revisions() == [stack.first] and stack.running() == stack.first


def test_an_unknown_service_is_bad_input(stack: Stack) -> None:
    done = deploy(Stack(stack.url, stack.cluster, "no-such-service", stack.family, stack.first))
    assert done.returncode == 2 and "no-such-service" in done.stderr
    done = deploy(Stack(stack.url, "no-such-cluster", stack.service, stack.family, stack.first))
    assert done.returncode == 2 and "no-such-cluster" in done.stderr
