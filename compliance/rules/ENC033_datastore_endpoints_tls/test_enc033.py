"""ENC033: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from dataclasses import replace

from compliance.model import Model, Status, Unknown
from compliance.rules.ENC033_datastore_endpoints_tls.rule import RULE as ENC033
from compliance.rules.kit import resource, status


def test_plain_http_is_judged_only_for_data_stores() -> None:
    api = {"environment": [{"variables": {"WEBHOOK_URL": "http://example.com/hook"}}]}
    lambda_ = resource("aws_lambda_function.f", api)
    assert ENC033.check(lambda_, Model((lambda_,))) is None
    search = {"environment": [{"variables": {"SEARCH": "http://vpc-x.ca-central-1.es.amazonaws.com:9200"}}]}
    assert status(ENC033, resource("aws_lambda_function.f", search)) is Status.FAIL


def test_a_sensitive_endpoint_parameter_is_unknown_not_passed() -> None:
    parameter = resource("aws_ssm_parameter.p", {"name": "/app/neo4j_uri", "value": "(sensitive)"})
    parameter = replace(parameter, sensitive=frozenset({"value"}))
    assert status(ENC033, parameter) is Status.UNKNOWN


def test_a_template_with_a_known_scheme_is_judged_by_it() -> None:
    known_scheme = Unknown(
        refs=("aws_service_discovery_private_dns_namespace.n",), parts=("bolt://neo4j.", None)
    )
    task = {
        "container_definitions": [
            {"name": "api", "environment": [{"name": "NEO4J_URI", "value": known_scheme}]}
        ]
    }
    assert status(ENC033, resource("aws_ecs_task_definition.t", task)) is Status.FAIL
    secure = Unknown(
        refs=("aws_service_discovery_private_dns_namespace.n",), parts=("neo4j+s://neo4j.", None)
    )
    task = {
        "container_definitions": [{"name": "api", "environment": [{"name": "NEO4J_URI", "value": secure}]}]
    }
    assert status(ENC033, resource("aws_ecs_task_definition.t", task)) is Status.PASS


def test_an_unknown_identifier_beside_an_endpoint_is_not_an_endpoint() -> None:
    arn = {
        "environment": [
            {"variables": {"NEO4J_CA_SECRET_ARN": Unknown(refs=("aws_secretsmanager_secret.t",))}}
        ]
    }
    lambda_ = resource("aws_lambda_function.f", arn)
    assert ENC033.check(lambda_, Model((lambda_,))) is None
