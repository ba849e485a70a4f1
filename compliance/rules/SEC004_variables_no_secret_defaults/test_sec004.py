"""SEC004: secrets judged by type and value shape, not by name alone (built with the rule kit).

Module variables carry the values their callers pass ("values"); a root variable without a tfvars value
has none (run time decides), so a null default does not clear it."""

from __future__ import annotations

from typing import Any

from compliance.model import Model, Resource, Status, Unknown
from compliance.rules.kit import ref, resource
from compliance.rules.SEC004_variables_no_secret_defaults.rule import RULE as SEC004


def variable(name: str, **values: Any) -> Resource:
    found = resource(f"terraform_variable.{name}", {"default": None, "sensitive": False, **values})
    return found


def judged(subject: Resource) -> Status | None:
    result = SEC004.check(subject, Model((subject,)))
    return None if result is None else result.status


def test_module_variable_whose_every_value_is_null_or_a_reference_is_not_judged() -> None:
    assert judged(variable("api_token", values=[None])) is None
    assert judged(variable("db_secret", values=[ref("aws_secretsmanager_secret.db"), None])) is None
    arn = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:db-AbCdEf"
    assert judged(variable("db_credentials", values=[arn, "/app/db/password"])) is None
    secrets = [[{"name": "DB_PASSWORD", "valueFrom": ref("aws_ssm_parameter.db")}]]
    assert judged(variable("container_secrets", values=secrets)) is None


def test_a_secret_value_among_the_values_keeps_it_judged() -> None:
    assert judged(variable("api_token", values=[None, "literal-token"])) is Status.FAIL
    assert judged(variable("db_password", values=[ref("random_password.db")])) is Status.FAIL
    assert judged(variable("db_password", values=[Unknown(reason="computed")])) is Status.FAIL
    assert judged(variable("db_password", values=[ref("random_password.db")], sensitive=True)) is Status.PASS


def test_root_variable_without_known_values_is_judged_by_name() -> None:
    assert judged(variable("api_token")) is Status.FAIL
    assert judged(variable("api_token", sensitive=True)) is Status.PASS


def test_types_that_cannot_hold_a_secret_string_are_not_judged() -> None:
    assert judged(variable("token_count", type="number")) is None
    assert judged(variable("use_secrets", type="bool")) is None
    pointers = {"list": {"object": {"name": "string", "valueFrom": "string", "secret_arn": "string"}}}
    assert judged(variable("secrets", type=pointers)) is None
    assert judged(variable("credentials", type={"object": {"user": "string"}})) is Status.FAIL
    assert judged(variable("api_token", type="string")) is Status.FAIL


def test_a_secret_shaped_default_is_judged_whatever_the_type_and_name() -> None:
    found = variable("upstream", type="bool", default="AKIAFIXTURENOTREAL00", values=[None])
    assert judged(found) is Status.FAIL
