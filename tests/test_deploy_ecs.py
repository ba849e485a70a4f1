"""tools.deploy_ecs on the states moto cannot produce: a scripted ECS answers DescribeServices with a
deployment the circuit breaker failed, a service ECS rolled back by itself, and a deployment that never
settles. (Everything moto can do is tested against it over HTTP in test_deploy.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from tools.deploy_ecs import (
    BadInputError,
    StepError,
    Waiting,
    check_image,
    render,
    repository_of,
    wait_steady,
)

NEW = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-staging-api:8"
OLD = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-staging-api:7"


class ScriptedEcs:
    """DescribeServices answers from a script, one state per call (the last one repeats)."""

    def __init__(self, *states: dict[str, Any]) -> None:
        self.states = list(states)
        self.calls = 0

    def describe_services(self, cluster: str, services: list[str]) -> dict[str, Any]:
        state = self.states[min(self.calls, len(self.states) - 1)]
        self.calls += 1
        return {
            "services": [{"status": "ACTIVE", "desiredCount": 2, "runningCount": 2, **state}],
            "failures": [],
        }


class QuietAlarms:
    def describe_alarms(self, AlarmNames: list[str]) -> dict[str, Any]:  # noqa: N803 - boto3's name
        return {"MetricAlarms": [{"AlarmName": n, "StateValue": "OK"} for n in AlarmNames]}


def deployment(task_definition: str, state: str, running: int = 2) -> dict[str, Any]:
    return {"taskDefinition": task_definition, "rolloutState": state, "runningCount": running}


WAIT = Waiting(timeout=5, interval=0, sleep=lambda _: None)


def test_waits_until_the_new_revision_alone_runs_at_the_desired_count() -> None:
    ecs = ScriptedEcs(
        {
            "taskDefinition": NEW,
            "deployments": [deployment(NEW, "IN_PROGRESS", 1), deployment(OLD, "COMPLETED")],
        },
        {
            "taskDefinition": NEW,
            "deployments": [deployment(NEW, "IN_PROGRESS", 2), deployment(OLD, "COMPLETED")],
        },
        {"taskDefinition": NEW, "deployments": [deployment(NEW, "COMPLETED")]},
    )
    wait_steady(ecs, QuietAlarms(), "c", "s", NEW, ["a"], WAIT)
    assert ecs.calls == 3


def test_stable_as_boto3s_services_stable_waiter_defines_it() -> None:
    """One deployment at the desired count is stable even while ECS still calls its rollout IN_PROGRESS."""
    ecs = ScriptedEcs({"taskDefinition": NEW, "deployments": [deployment(NEW, "IN_PROGRESS")]})
    wait_steady(ecs, QuietAlarms(), "c", "s", NEW, [], WAIT)
    short = ScriptedEcs(
        {"taskDefinition": NEW, "runningCount": 1, "deployments": [deployment(NEW, "IN_PROGRESS", 1)]}
    )
    with pytest.raises(StepError, match="1/2 running"):
        wait_steady(
            short, QuietAlarms(), "c", "s", NEW, [], Waiting(timeout=0.0, interval=0, sleep=lambda _: None)
        )


def test_a_failed_rollout_is_the_circuit_breaker() -> None:
    ecs = ScriptedEcs(
        {
            "taskDefinition": NEW,
            "deployments": [deployment(NEW, "IN_PROGRESS", 0), deployment(OLD, "COMPLETED")],
        },
        {
            "taskDefinition": NEW,
            "deployments": [
                {**deployment(NEW, "FAILED", 0), "rolloutStateReason": "tasks failed to start"},
                deployment(OLD, "COMPLETED"),
            ],
        },
    )
    with pytest.raises(StepError, match="circuit breaker tripped: tasks failed to start"):
        wait_steady(ecs, QuietAlarms(), "c", "s", NEW, [], WAIT)


def test_ecs_rolling_the_service_back_by_itself_fails_the_deployment() -> None:
    ecs = ScriptedEcs({"taskDefinition": OLD, "deployments": [deployment(OLD, "IN_PROGRESS")]})
    with pytest.raises(StepError, match="ECS moved the service to notegen-staging-api:7"):
        wait_steady(ecs, QuietAlarms(), "c", "s", NEW, [], WAIT)


def test_no_steady_state_within_the_timeout() -> None:
    ecs = ScriptedEcs(
        {
            "taskDefinition": NEW,
            "deployments": [deployment(NEW, "IN_PROGRESS", 1), deployment(OLD, "COMPLETED")],
        }
    )
    waiting = Waiting(timeout=0.0, interval=0, sleep=lambda _: None)
    with pytest.raises(StepError, match="no steady state within 0s \\(2 deployment\\(s\\)"):
        wait_steady(ecs, QuietAlarms(), "c", "s", NEW, [], waiting)


def test_render_changes_only_the_image_and_keeps_what_registration_accepts() -> None:
    previous: dict[str, Any] = {
        "taskDefinitionArn": OLD,
        "revision": 7,
        "status": "ACTIVE",
        "family": "notegen-staging-api",
        "cpu": "512",
        "volumes": [],
        "containerDefinitions": [
            {"name": "api", "image": "r.example/notegen/api:v1", "environment": [{"name": "A", "value": "1"}]}
        ],
    }
    image = "r.example/notegen/api@sha256:" + "0" * 64
    rendered = render(previous, [{"key": "Environment", "value": "staging"}], image, None)
    assert rendered.request == {
        "family": "notegen-staging-api",
        "cpu": "512",
        "containerDefinitions": [
            {"name": "api", "image": image, "environment": [{"name": "A", "value": "1"}]}
        ],
        "tags": [{"key": "Environment", "value": "staging"}],
    }
    assert previous["containerDefinitions"][0]["image"] == "r.example/notegen/api:v1", (
        "the input is not mutated"
    )
    assert (rendered.container, rendered.old_image) == ("api", "r.example/notegen/api:v1")


def test_two_containers_of_the_repository_need_a_name() -> None:
    previous = {
        "family": "f",
        "containerDefinitions": [{"name": "a", "image": "r/x:1"}, {"name": "b", "image": "r/x:2"}],
    }
    with pytest.raises(BadInputError, match="2 containers of f run r/x: name one with --container"):
        render(previous, [], "r/x@sha256:" + "1" * 64, None)
    assert render(previous, [], "r/x@sha256:" + "1" * 64, "b").container == "b"


@pytest.mark.parametrize(
    ("image", "repository"),
    [
        (
            "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen/api:v1",
            "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen/api",
        ),
        ("localhost:5000/api@sha256:" + "a" * 64, "localhost:5000/api"),
        ("localhost:5000/api", "localhost:5000/api"),
    ],
)
def test_repository_of(image: str, repository: str) -> None:
    assert repository_of(image) == repository


@pytest.mark.parametrize("image", ["r/api:latest", "r/api@sha256:abc", "R/api@sha256:" + "a" * 64, ""])
def test_only_digests_are_deployed(image: str) -> None:
    with pytest.raises(BadInputError, match="deploy by digest"):
        check_image(image)
