"""Secret names and values are recognised, pointers to secrets are not, and no value is ever returned."""

from __future__ import annotations

import pytest

from compliance.analysis.secret_values import (
    entropy,
    is_placeholder,
    looks_secret_name,
    secret_keys,
    secret_ref,
    secret_value_kind,
    words,
)
from compliance.model import Unknown


def test_words_split_snake_kebab_and_camel_case() -> None:
    assert words("dbPassword") == ["db", "password"]
    assert words("OPENAI_API_KEY") == ["openai", "api", "key"]
    assert words("APIKey") == ["api", "key"]
    assert words("neo4j-auth") == ["neo4j", "auth"]


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "dbPassword",
        "api_key",
        "APIKey",
        "JWT_SECRET",
        "NEO4J_AUTH",
        "AWS_SECRET_ACCESS_KEY",
        "github_token",
        "client-secret",
        "private_key",
        "db_credentials",
    ],
)
def test_secret_names(name: str) -> None:
    assert looks_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD_SECRET_ARN",
        "token_url",
        "secret_name",
        "password_length",
        "LOG_LEVEL",
        "bypass",
        "tokenizer",
        "kms_key_id",
        "passenger",
        "auth_mode",
        "recovery_window_in_days",
    ],
)
def test_pointers_and_ordinary_names(name: str) -> None:
    assert not looks_secret_name(name)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("AKIAFIXTURENOTREAL00", "an AWS access key id"),
        ("id=ASIAFIXTURENOTREAL01;", "an AWS access key id"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a private key"),
        ("ghp_" + "a1B2" * 9, "a GitHub token"),
        ("sk-proj-" + "x9Y8" * 6, "an API secret key"),
        ("Zx9k2Lq8Vm4Rt7Wp1Yb6Nc3Hd5Gf0Js", "a high-entropy string"),
    ],
)
def test_secret_values(value: str, kind: str) -> None:
    assert secret_value_kind(value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "",
        "info",
        "hello world with spaces and words",
        "subnet-0123456789abcdef0",
        "d41d8cd98f00b204e9800998ecf8427e",
        "123e4567-e89b-12d3-a456-426614174000",
        "/ecs/notegen/api",
        "arn:aws:secretsmanager:ca-central-1:111122223333:secret:db",
        "AKIAIOSFODNN7EXAMPLE",
        "test",
        42,
        None,
    ],
)
def test_non_secret_values(value: object) -> None:
    assert secret_value_kind(value) is None


def test_placeholders_are_documented_fakes_only() -> None:
    assert is_placeholder("test") and is_placeholder("AKIAIOSFODNN7EXAMPLE")
    assert not is_placeholder("AKIAFIXTURENOTREAL00") and not is_placeholder(None)


def test_entropy() -> None:
    assert entropy("aaaa") == 0
    assert entropy("abcd") == 2


def test_secret_ref_names_the_reference_never_a_value() -> None:
    assert secret_ref(Unknown(("aws_db_instance.db.password",))) == "aws_db_instance.db.password"
    random = "data.aws_secretsmanager_random_password.p"
    assert secret_ref(Unknown((random,))) == random
    assert secret_ref(Unknown(("aws_db_instance.db.address",))) is None
    assert secret_ref("literal") is None


def test_secret_keys_report_paths_not_values() -> None:
    value = {"host": "db", "db": {"password": "hunter2-long"}, "keys": ["AKIAFIXTURENOTREAL00"]}
    found = secret_keys(value)
    assert found == ["db.password", "keys[0]"]
    assert all("hunter2" not in path and "AKIA" not in path for path in found)
    assert secret_keys({"password": ""}) == []
