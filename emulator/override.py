"""Point a copy of an env root at an emulator without touching the env's own code.

`write_override(directory, endpoint_url)` writes `emulator_override.tf` (a Terraform override file) into
an env root: both AWS provider configurations (the default and the `replica` alias) get no account or
region lookups, path-style S3 and an endpoint for every service the envs use, and the S3 backend is
replaced by a local one. Credentials come from the environment (emulator.moto.FAKE_CREDENTIALS) so that
no key, even a fake one, is written into a provider block and from there into the plan JSON;
`static_credentials=True` writes access/secret key "test" instead. Optional variables go to `emulator.auto.tfvars.json` (e.g. turn off
certificate validation for an apply, which would otherwise wait forever for DNS).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

OVERRIDE_FILE = "emulator_override.tf"
VARIABLES_FILE = "emulator.auto.tfvars.json"

# Endpoint keys of the AWS provider for every service terraform/envs uses.
SERVICES: tuple[str, ...] = (
    "acm",
    "applicationautoscaling",
    "backup",
    "cloudtrail",
    "cloudwatch",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "elbv2",
    "iam",
    "kms",
    "lambda",
    "logs",
    "opensearch",
    "s3",
    "scheduler",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "ssm",
    "sts",
)

# Provider configurations of the envs: the default one and the ca-west-1 replica alias.
PROVIDER_ALIASES: tuple[str | None, ...] = (None, "replica")


def provider_block(
    endpoint_url: str, services: Iterable[str], alias: str | None = None, static_credentials: bool = False
) -> str:
    """One `provider "aws"` override block (merged by Terraform into the env's block of the same alias)."""
    lines = ['provider "aws" {']
    if alias is not None:
        lines.append(f"  alias = {json.dumps(alias)}")
    if static_credentials:
        lines += ['  access_key = "test"', '  secret_key = "test"']
    lines += [
        "  skip_credentials_validation = true",
        "  skip_requesting_account_id  = true",
        "  skip_metadata_api_check     = true",
        "  skip_region_validation      = true",
        "  s3_use_path_style           = true",
        "  max_retries                 = 3 # an emulator's 500 (a missing API) fails fast instead of retrying",
        "",
        "  endpoints {",
    ]
    names = sorted(set(services))
    width = max((len(name) for name in names), default=0)
    lines += [f"    {name.ljust(width)} = {json.dumps(endpoint_url)}" for name in names]
    lines += ["  }", "}"]
    return "\n".join(lines)


def render_override(
    endpoint_url: str, services: Iterable[str] = SERVICES, static_credentials: bool = False
) -> str:
    """The text of emulator_override.tf."""
    if not endpoint_url.startswith(("http://127.0.0.1", "http://localhost")):
        raise ValueError(f"refusing a non-local emulator endpoint: {endpoint_url}")
    names = tuple(services)
    blocks = [
        "# Written by emulator.override: points this copy of the env at a local AWS emulator. Never commit.",
        'terraform {\n  backend "local" {}\n}',
        *(provider_block(endpoint_url, names, alias, static_credentials) for alias in PROVIDER_ALIASES),
    ]
    return "\n\n".join(blocks) + "\n"


def write_override(
    directory: Path,
    endpoint_url: str,
    services: Iterable[str] = SERVICES,
    variables: Mapping[str, Any] | None = None,
    *,
    static_credentials: bool = False,
) -> Path:
    """Write emulator_override.tf (and emulator.auto.tfvars.json when variables are given) into an env root.

    For an apply on moto, pass e.g. variables={"certificate_wait_for_validation": False,
    "account_id": "123456789012", "protection": {"alb_deletion_protection": False,
    "force_destroy_buckets": True}}.
    """
    if not (directory / "main.tf").exists():
        raise FileNotFoundError(f"{directory} is not a Terraform root (no main.tf)")
    path = directory / OVERRIDE_FILE
    path.write_text(render_override(endpoint_url, services, static_credentials))
    if variables:
        (directory / VARIABLES_FILE).write_text(json.dumps(dict(variables), indent=2, sort_keys=True) + "\n")
    return path
