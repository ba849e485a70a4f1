"""The task's secrets as ECS injects them, from Secrets Manager (moto standing in for AWS): the secret
references Terraform declares for the API (name -> secret, JSON key) are resolved the way the ECS agent
resolves `valueFrom` ("<secret arn>:<json key>::"), and the production settings load from the resulting
environment - the token whose digest operators stored authenticates, the audit key and Neo4j's CA arrive."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import hcl2
import pytest
from moto import mock_aws

from service.auth import TokenVerifier, token_digest
from service.settings import Settings
from tests.service.test_contract import task_containers

ROOT = Path(__file__).resolve().parents[2]
REGION = "ca-central-1"
TOKEN = "ehr-integration-token-0123456789"
VALUES = {
    "api": {
        "api_clients": json.dumps(
            [{"client": "ehr", "scopes": ["read", "write"], "token_sha256": token_digest(TOKEN)}]
        ),
        "audit_hmac_key": "a" * 48,
    },
    "azure-openai": {"api_key": "azure-key-from-secrets-manager"},
    "neo4j-admin": {"username": "neo4j", "password": "generated-by-secrets-manager-0123", "auth": "neo4j/x"},
    "neo4j-tls": {"ca_certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
    "api-tls": {
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    },
}


def declared_secrets() -> dict[str, tuple[str, str]]:
    """ENV_NAME -> (secret short name, JSON key) from the API's secret_arns in modules/stack."""
    document = hcl2.loads((ROOT / "terraform" / "modules" / "stack" / "main.tf").read_text())
    api = next(block['"api"'] for block in document["module"] if '"api"' in block)
    declared = {}
    for name, ref in api["secret_arns"].items():
        match = re.search(r'arns\["([a-z0-9-]+)"\]', ref["secret_arn"])
        secret = (
            match[1] if match else "neo4j-admin" if "module.neo4j.secret_arn" in ref["secret_arn"] else "?"
        )
        declared[name] = (secret, ref["json_key"].strip('"'))
    return declared


def resolve(value_from: str, client: Any) -> str:
    """What the ECS agent does with a Secrets Manager valueFrom: arn[:json-key:version-stage:version-id]."""
    parts = value_from.split(":")
    arn, rest = ":".join(parts[:7]), parts[7:]
    secret = client.get_secret_value(SecretId=arn)["SecretString"]
    json_key = rest[0] if rest else ""
    return str(json.loads(secret)[json_key]) if json_key else str(secret)


@pytest.fixture
def secrets_manager() -> Iterator[tuple[Any, dict[str, str]]]:
    with mock_aws():
        client = boto3.client(
            "secretsmanager", region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
        )
        arns = {
            name: client.create_secret(Name=f"notegen-staging/{name}", SecretString=json.dumps(value))["ARN"]
            for name, value in VALUES.items()
        }
        yield client, arns


def test_the_declared_secrets_are_exactly_the_containers_secrets() -> None:
    container = task_containers("staging")["api"]
    assert set(declared_secrets()) == {item["name"] for item in container["secrets"]}


def test_settings_load_from_the_injected_secrets(
    secrets_manager: tuple[Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, arns = secrets_manager
    for name, (secret, json_key) in declared_secrets().items():
        assert secret in arns, f"{name} reads an unknown secret {secret}"
        monkeypatch.setenv(name, resolve(f"{arns[secret]}:{json_key}::", client))
    for name, value in {
        "APP_ENV": "staging",
        "NEO4J_URI": "bolt+s://neo4j.staging.notegen.internal:7687",
        "OPENSEARCH_ENDPOINT": "https://vpc-notegen-staging.ca-central-1.es.amazonaws.com",
        "OPENSEARCH_AUTH_METHOD": "sigv4",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    principal = TokenVerifier.from_json(settings.api_clients.get_secret_value()).verify(TOKEN)
    assert principal is not None and principal.client == "ehr"
    assert settings.neo4j_password.get_secret_value() == VALUES["neo4j-admin"]["password"]
    assert settings.neo4j_ca_cert.get_secret_value().startswith("-----BEGIN CERTIFICATE-----")
    assert settings.azure_openai_api_key.get_secret_value() == "azure-key-from-secrets-manager"
    assert settings.tls_private_key.get_secret_value().startswith("-----BEGIN PRIVATE KEY-----")
    assert "MIIE" not in repr(settings)
    assert "generated-by" not in repr(settings) and "azure-key" not in repr(settings)


def test_a_missing_json_key_fails_as_the_task_start_would(
    secrets_manager: tuple[Any, dict[str, str]],
) -> None:
    client, arns = secrets_manager
    with pytest.raises(KeyError):
        resolve(f"{arns['api']}:no_such_key::", client)
