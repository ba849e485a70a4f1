"""The configuration contract: the service's settings (service/settings.py) are the single source, and the
API task definition of each env (evaluated from the Terraform by the compliance HCL loader) provides
exactly those names - secrets through `secrets` (Secrets Manager references), the rest through
`environment` - with values the production settings accept. Also: the health checks both sides promise."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import hcl2
import pytest
from pydantic import SecretStr

from compliance.loaders.hcl import load_hcl
from compliance.model import Unknown
from service.settings import Settings, contract_fields, env_name

ROOT = Path(__file__).resolve().parents[2]
ENVS = ("staging", "prod")
# Read by the OpenTelemetry SDK itself, not by the settings: where the collector sidecar listens.
OTEL_SDK = frozenset({"OTEL_EXPORTER_OTLP_ENDPOINT"})


def task_containers(env: str) -> dict[str, dict[str, Any]]:
    """Container name -> container definition, for every task definition of the env."""
    found: dict[str, dict[str, Any]] = {}
    for resource in load_hcl([ROOT / "terraform" / "envs" / env]):
        if resource.type == "aws_ecs_task_definition":
            for container in resource.values["container_definitions"]:
                found[container["name"]] = container
    return found


@pytest.fixture(scope="module", params=ENVS)
def env_containers(request: pytest.FixtureRequest) -> tuple[str, dict[str, dict[str, Any]]]:
    return request.param, task_containers(request.param)


def hcl_block(path: Path, kind: str, name: str) -> dict[str, Any]:
    for block in hcl2.loads(path.read_text())[kind]:
        if f'"{name}"' in block:
            found: dict[str, Any] = block[f'"{name}"']
            return found
    raise KeyError(f"{kind} {name} in {path}")


def shape_of(name: str) -> str:
    """A value known only after apply, as its template with each interpolation replaced by "x": the API's
    environment in modules/stack, following a module output one level (NEO4J_URI -> neo4j's bolt_uri)."""
    modules = ROOT / "terraform" / "modules"
    expression = str(hcl_block(modules / "stack" / "main.tf", "module", "api")["environment_variables"][name])
    output = re.fullmatch(r"\$\{module\.(\w+)\.(\w+)\}", expression)
    if output:
        expression = str(hcl_block(modules / output[1] / "outputs.tf", "output", output[2])["value"])
    return re.sub(r"\$\{[^}]*\}", "x", expression.strip('"'))


def drift(container: Mapping[str, Any]) -> list[str]:
    """Every way the container's configuration departs from the settings' contract (empty: none)."""
    fields = contract_fields()
    environment = {item["name"]: item["value"] for item in container.get("environment", [])}
    secrets = {item["name"]: item["valueFrom"] for item in container.get("secrets", [])}
    problems = []
    for name in sorted(set(environment) | set(secrets)):
        if name in OTEL_SDK and name in environment:
            continue
        if name not in fields:
            problems.append(f"{name} is provided but is no setting of the service")
        elif fields[name][0] == "local":
            problems.append(f"{name} is a development-only setting")
    for name, (deploy, secret) in sorted(fields.items()):
        if deploy == "required" and name not in environment and name not in secrets:
            problems.append(f"{name} is required but not provided")
        if secret and name in environment:
            problems.append(f"{name} is a secret but comes as a plain environment value")
        if not secret and name in secrets:
            problems.append(f"{name} is not a secret but comes through secrets")
    for name, value_from in secrets.items():
        refs = value_from.refs if isinstance(value_from, Unknown) else (str(value_from),)
        if not any("aws_secretsmanager_secret" in ref or ":secretsmanager:" in ref for ref in refs):
            problems.append(f"{name} is not read from Secrets Manager: {value_from}")
    return problems


def test_the_api_task_definition_provides_exactly_the_settings(
    env_containers: tuple[str, dict[str, dict[str, Any]]],
) -> None:
    env, containers = env_containers
    assert drift(containers["api"]) == [], env


def test_the_provided_values_are_accepted_by_the_production_settings(
    env_containers: tuple[str, dict[str, dict[str, Any]]],
) -> None:
    """Plain values go through the real Settings with stand-in secrets: allowed values, Canada, bolt+s,
    https, SigV4. A value known only after apply is checked in the shape of its template."""
    env, containers = env_containers
    values: dict[str, Any] = {}
    for item in containers["api"]["environment"]:
        value = item["value"]
        values[item["name"].lower()] = shape_of(item["name"]) if isinstance(value, Unknown) else value
    for item in containers["api"]["secrets"]:
        values[item["name"].lower()] = SecretStr("stand-in-secret-of-forty-characters-long!")
    settings = Settings(**values)
    assert settings.app_env == env and settings.opensearch_auth_method == "sigv4"
    assert settings.neo4j_uri.startswith("bolt+s://")


def test_drift_is_caught_both_ways() -> None:
    """The check itself: a renamed plain value, a secret sent in plain, a missing one, an unknown one."""
    container = task_containers("staging")["api"]
    renamed = {
        **container,
        "environment": [
            {**item, "name": "NEO4J_URL"} if item["name"] == "NEO4J_URI" else item
            for item in container["environment"]
        ],
    }
    assert drift(renamed) == [
        "NEO4J_URL is provided but is no setting of the service",
        "NEO4J_URI is required but not provided",
    ]
    leaked = {
        **container,
        "environment": [*container["environment"], {"name": "NEO4J_PASSWORD", "value": "x"}],
    }
    assert "NEO4J_PASSWORD is a secret but comes as a plain environment value" in drift(leaked)
    local = {
        **container,
        "environment": [*container["environment"], {"name": "OPENSEARCH_USERNAME", "value": "x"}],
    }
    assert drift(local) == ["OPENSEARCH_USERNAME is a development-only setting"]


def test_every_contract_name_is_a_settings_field() -> None:
    assert set(contract_fields()) == {env_name(name) for name in Settings.model_fields}


def test_health_checks_use_livez_and_every_long_running_container_checks_itself(
    env_containers: tuple[str, dict[str, dict[str, Any]]],
) -> None:
    _, containers = env_containers
    assert containers["api"]["healthCheck"]["command"] == ["CMD", "python", "-m", "service.healthcheck"]
    assert {"name": "PORT", "value": "8000"} in containers["api"]["environment"]
    assert containers["neo4j"]["healthCheck"]["command"][0] == "CMD-SHELL"
    dockerfile = (ROOT / "service" / "Dockerfile").read_text()
    assert (
        'HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "service.healthcheck"]'
        in dockerfile
    )


def test_the_alb_probes_livez(env_containers: tuple[str, dict[str, dict[str, Any]]]) -> None:
    env, _ = env_containers
    groups = [r for r in load_hcl([ROOT / "terraform" / "envs" / env]) if r.type == "aws_lb_target_group"]
    assert [group.values["health_check"][0]["path"] for group in groups] == ["/livez"]


def test_the_api_exports_traces_to_the_collector_on_loopback(
    env_containers: tuple[str, dict[str, dict[str, Any]]],
) -> None:
    _, containers = env_containers
    environment = {item["name"]: item["value"] for item in containers["api"]["environment"]}
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://127.0.0.1:4317"
    collector = containers["otel-collector"]
    assert collector["essential"] is False
    assert re.search(r"@sha256:[0-9a-f]{64}$", collector["image"])
    # Its configuration (yamlencode around the region and log group) is known only after apply here.
    assert [item["name"] for item in collector["environment"]] == ["AOT_CONFIG_CONTENT"]
