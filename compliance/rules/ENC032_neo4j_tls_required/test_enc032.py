"""ENC032: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from compliance.model import Status, Unknown
from compliance.rules.ENC032_neo4j_tls_required.rule import RULE as ENC032
from compliance.rules.kit import resource, status

SECURE: dict[str, object] = {
    "NEO4J_server_bolt_tls__level": "REQUIRED",
    "NEO4J_dbms_ssl_policy_bolt_enabled": "true",
    "NEO4J_server_http_enabled": "false",
}


def _task(settings: Mapping[str, object], image: object = "neo4j:5") -> dict[str, Any]:
    environment = [{"name": k, "value": v} for k, v in settings.items()]
    return {"container_definitions": [{"name": "neo4j", "image": image, "environment": environment}]}


def test_4x_setting_names_and_the_plan_string_form() -> None:
    legacy = {**SECURE, "NEO4J_dbms_connector_bolt_tls__level": "REQUIRED"}
    del legacy["NEO4J_server_bolt_tls__level"]
    assert status(ENC032, resource("aws_ecs_task_definition.t", _task(legacy))) is Status.PASS
    as_string = {"container_definitions": json.dumps(_task(SECURE)["container_definitions"])}
    assert status(ENC032, resource("aws_ecs_task_definition.t", as_string)) is Status.PASS


def test_https_without_its_policy_fails_and_an_unknown_setting_is_unknown() -> None:
    https = {**SECURE, "NEO4J_server_https_enabled": "true"}
    assert status(ENC032, resource("aws_ecs_task_definition.t", _task(https))) is Status.FAIL
    doubtful = {**SECURE, "NEO4J_server_http_enabled": Unknown()}
    assert status(ENC032, resource("aws_ecs_task_definition.t", _task(doubtful))) is Status.UNKNOWN
