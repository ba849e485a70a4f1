"""Repo-wide fixtures only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# Session fixtures of the real data stores, each started in the background once a test selects it.
pytest_plugins = ["tests.support.neo4j_fixture", "tests.support.opensearch_fixture"]


# Time limits (pytest-timeout) beyond the default of pyproject's `timeout`, by marker, unless a test sets
# its own: a test that runs terraform may wait for the first plans of both envs; an integration test may
# wait for the emulator apply (tests/integration/pipeline.py allows it 2700 s) and the data stores' start.
TIMEOUTS = {"integration": 3600, "terraform": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timeout") is None:
            limits = [s for name, s in TIMEOUTS.items() if item.get_closest_marker(name) is not None]
            if limits:
                item.add_marker(pytest.mark.timeout(max(limits)))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def terraform_env() -> dict[str, str]:
    """Environment for terraform subprocesses: the project's CLI config, and no way to reach real AWS."""
    from tools.toolchain import ToolchainError, path_with_terraform

    config = ROOT / "build" / "terraform.tfrc"
    if not config.exists():
        pytest.fail(f"{config} is missing: run the tests through make (make test)")
    env = dict(os.environ)
    try:
        path = path_with_terraform(
            env
        )  # the discovered terraform (PATH, else build/bin from the carried zip)
    except ToolchainError as error:
        pytest.fail(str(error))
    env.update(
        PATH=path,
        TF_CLI_CONFIG_FILE=str(config),
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",  # closed port: a stray call fails fast
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@pytest.fixture(scope="session")
def env_plans(terraform_env: dict[str, str]) -> dict[str, Path]:
    """Real plans of both envs against the embedded moto server (make plan), made once per change of terraform/."""
    from tools.plan import PlanError, fresh_plans

    try:
        return fresh_plans()
    except PlanError as error:
        pytest.fail(str(error))
