"""Inputs for the benchmarks: scaled plans made from our real staging plan, and a generated HCL directory."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any


def count_resources(plan: dict[str, Any]) -> int:
    def walk(module: dict[str, Any]) -> int:
        own = len(module.get("resources", ()))
        return own + sum(walk(child) for child in module.get("child_modules", ()))

    return walk(plan.get("planned_values", {}).get("root_module", {}))


def scale_plan(plan: dict[str, Any], target: int) -> dict[str, Any]:
    """A plan with about `target` resources: the staging plan copied into modules c0, c1, ...

    Each copy is a child module, so every address is renamed (module.cN.<original>) while references
    inside the copy stay valid: the plan is as consistent as the original.
    """
    per_copy = count_resources(plan)
    copies = max(1, round(target / per_copy))
    root = plan["planned_values"]["root_module"]
    config = plan["configuration"]["root_module"]
    scaled: dict[str, Any] = {
        k: v for k, v in plan.items() if k not in ("prior_state", "relevant_attributes")
    }
    children = []
    changes = []
    calls: dict[str, Any] = {}
    for index in range(copies):
        prefix = f"module.c{index}"
        children.append(_prefixed_module(root, prefix))
        for change in plan.get("resource_changes", ()):
            moved = dict(change)
            moved["address"] = f"{prefix}.{change['address']}"
            moved["module_address"] = prefix + (
                f".{change['module_address']}" if "module_address" in change else ""
            )
            changes.append(moved)
        calls[f"c{index}"] = {"source": f"./copy{index}", "module": config}
    scaled["planned_values"] = {"root_module": {"child_modules": children}}
    scaled["resource_changes"] = changes
    scaled["configuration"] = {
        "provider_config": plan["configuration"].get("provider_config", {}),
        "root_module": {"module_calls": calls},
    }
    return scaled


def _prefixed_module(module: dict[str, Any], prefix: str) -> dict[str, Any]:
    moved = copy.copy(module)
    own = module.get("address")
    moved["address"] = f"{prefix}.{own}" if own else prefix
    moved["resources"] = [dict(r, address=f"{prefix}.{r['address']}") for r in module.get("resources", ())]
    moved["child_modules"] = [_prefixed_module(child, prefix) for child in module.get("child_modules", ())]
    return moved


def write_plan(plan: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan))
    return path


HCL_BLOCK = """\
resource "aws_kms_key" "key_{i}" {{
  description         = "bench key {i}"
  enable_key_rotation = true
}}

resource "aws_s3_bucket" "data_{i}" {{
  bucket = "notegen-bench-data-{i}"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data_{i}" {{
  bucket = aws_s3_bucket.data_{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.key_{i}.arn
    }}
  }}
}}

resource "aws_s3_bucket_versioning" "data_{i}" {{
  bucket = aws_s3_bucket.data_{i}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_public_access_block" "data_{i}" {{
  bucket                  = aws_s3_bucket.data_{i}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_efs_file_system" "graph_{i}" {{
  encrypted  = true
  kms_key_id = aws_kms_key.key_{i}.arn
}}

resource "aws_cloudwatch_log_group" "app_{i}" {{
  name              = "/notegen/bench/{i}"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.key_{i}.arn
}}

resource "aws_security_group" "app_{i}" {{
  name   = "bench-app-{i}"
  vpc_id = "vpc-0123456789abcdef0"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }}
}}

resource "aws_iam_role" "task_{i}" {{
  name = "bench-task-{i}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ecs-tasks.amazonaws.com" }} }}]
  }})
}}

resource "aws_secretsmanager_secret" "api_{i}" {{
  name                    = "bench/api/{i}"
  kms_key_id              = aws_kms_key.key_{i}.arn
  recovery_window_in_days = 30
}}

"""

PROVIDER = """\
provider "aws" {
  region = "ca-central-1"
}

"""


def write_hcl_dir(directory: Path, resources: int = 60) -> Path:
    """A flat Terraform directory of about `resources` resources of the types our rules judge."""
    directory.mkdir(parents=True, exist_ok=True)
    per_block = HCL_BLOCK.count('resource "')
    blocks = max(1, round(resources / per_block))
    text = PROVIDER + "".join(HCL_BLOCK.format(i=i) for i in range(blocks))
    (directory / "main.tf").write_text(text)
    return directory
