"""The Docker Compose stack for users with Docker: checked by parsing, since no Docker engine runs here."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulator.opensearch_install import pom_property

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "localstack" / "docker-compose.yml"
INIT = ROOT / "localstack" / "init" / "ready.d"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose["services"]
    assert isinstance(found, dict)
    return found


def test_the_four_services(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == {"api", "localstack", "neo4j", "opensearch"}
    assert services["neo4j"]["image"] == "neo4j:5.15-community"
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch:2.")


def test_image_tags_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        image, _, tag = service["image"].rpartition(":")
        assert image and tag, f"{name}: {service['image']} has no tag"
        assert tag not in {"latest", "stable", "main", "2", "2.x"}, f"{name}: floating tag {tag!r}"
        assert re.search(r"\d+\.\d+", tag), f"{name}: tag {tag!r} is not a version"


def _host_ip(binding: str | dict[str, Any]) -> str:
    """The host address of a ports entry, short ("127.0.0.1:80:80") or long ({host_ip: ...}) syntax."""
    if isinstance(binding, dict):
        return str(binding.get("host_ip", ""))
    parts = str(binding).split(":")
    return parts[0] if len(parts) == 3 else ""


def test_ports_are_bound_to_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        assert service.get("ports"), f"{name} publishes no port"
        for binding in service["ports"]:
            assert _host_ip(binding) == "127.0.0.1", f"{name}: {binding!r} is not bound to 127.0.0.1"
        assert service.get("network_mode") != "host", f"{name} uses the host network"


def test_every_service_has_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test"), f"{name} has no health check"
        assert not check.get("disable"), f"{name} disables its health check"
        assert check.get("interval") and check.get("retries"), (
            f"{name}: health check needs interval and retries"
        )


def test_localstack_waits_for_opensearch_and_mounts_the_init_hooks(
    services: dict[str, dict[str, Any]],
) -> None:
    localstack = services["localstack"]
    assert localstack["depends_on"]["opensearch"]["condition"] == "service_healthy"
    assert localstack["environment"]["OPENSEARCH_CUSTOM_BACKEND"] == "http://opensearch:9200"
    assert "./init/ready.d:/etc/localstack/init/ready.d:ro" in localstack["volumes"]
    assert "init/ready" in " ".join(localstack["healthcheck"]["test"])


def test_data_stores_match_the_deployed_configuration(services: dict[str, dict[str, Any]]) -> None:
    neo4j = services["neo4j"]["environment"]
    assert neo4j["NEO4J_PLUGINS"] == '["apoc"]'
    assert re.fullmatch(r"neo4j/.{8,}", neo4j["NEO4J_AUTH"].replace("${NEO4J_PASSWORD:-", "").rstrip("}")), (
        "Neo4j needs a password of 8+ characters"
    )
    opensearch = services["opensearch"]["environment"]
    assert opensearch["discovery.type"] == "single-node"
    assert "-Xmx512m" in opensearch["OPENSEARCH_JAVA_OPTS"]


def test_init_hook_creates_the_backup_bucket_and_uploads_the_archive() -> None:
    hooks = sorted(INIT.glob("*.sh"))
    assert hooks, "no init hook"
    text = "\n".join(hook.read_text() for hook in hooks)
    assert "create-bucket" in text and "put-bucket-versioning" in text and "put-bucket-encryption" in text
    assert "put-public-access-block" in text
    assert "neo4j-data-volume.tar.gz" in text
    for hook in hooks:
        assert hook.stat().st_mode & 0o111, f"{hook.name} is not executable"
        subprocess.run(["bash", "-n", str(hook)], check=True)


def test_opensearch_is_the_native_node_version_and_its_plugins_the_same_patch(
    services: dict[str, dict[str, Any]],
) -> None:
    """Compose, the native node (emulator/opensearch/pom.xml) and its plugins move together: a plugin refuses
    a core of another version, and users with Docker must test what the tests test."""
    version = pom_property("opensearch.version")
    assert services["opensearch"]["image"] == f"opensearchproject/opensearch:{version}"
    assert pom_property("opensearch.plugin.version") == f"{version}.0"


def test_the_api_is_configured_with_the_service_settings_names(services: dict[str, dict[str, Any]]) -> None:
    from service.settings import contract_fields

    api = services["api"]
    assert api["build"] == {"context": "..", "dockerfile": "service/Dockerfile"}
    assert set(api["environment"]) <= set(contract_fields())
    assert (
        api["depends_on"]["neo4j"]["condition"]
        == api["depends_on"]["opensearch"]["condition"]
        == "service_healthy"
    )
