"""REL001: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Model, Status
from compliance.rules.kit import ref, resource, status
from compliance.rules.REL001_ecs_container_health_check.rule import RULE as REL001

TASK = "aws_ecs_task_definition.t"


def test_essential_by_default_and_an_empty_command_fails() -> None:
    task = resource(TASK, {"container_definitions": [{"name": "api", "healthCheck": {"command": []}}]})
    service = resource("aws_ecs_service.s", {"task_definition": ref(TASK)})
    assert status(REL001, service, task) is Status.FAIL


def test_a_task_definition_outside_the_scan_is_unknown_and_none_is_not_judged() -> None:
    outside = resource(
        "aws_ecs_service.s", {"task_definition": "arn:aws:ecs:ca-central-1:1:task-definition/x:1"}
    )
    assert status(REL001, outside) is Status.UNKNOWN
    bare = resource("aws_ecs_service.b", {})
    assert REL001.check(bare, Model((bare,))) is None
