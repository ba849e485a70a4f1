"""The HCL configuration files (loaders/hcl/config.py): .tf.json, override files, ignored files, single files."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.loaders.hcl import load_hcl
from compliance.model import Source
from tests.loaders.hcl.support import load, write


def test_tf_json_files(tmp_path: Path) -> None:
    document = {
        "variable": {"env": {"default": "prod"}},
        "provider": {"aws": [{"region": "ca-central-1"}, {"alias": "b", "region": "ca-west-1"}]},
        "resource": {
            "aws_s3_bucket": {
                "logs": {"bucket": "logs-${var.env}", "provider": "aws.b", "versioning": [{"enabled": True}]}
            },
            "aws_subnet": {"s": {"count": 2, "cidr_block": '${cidrsubnet("10.0.0.0/16", 8, count.index)}'}},
        },
    }
    resources = load(tmp_path, {"main.tf.json": json.dumps(document, indent=2)})
    bucket = resources["aws_s3_bucket.logs"]
    assert bucket.values == {"bucket": "logs-prod", "versioning": [{"enabled": True}]}
    assert (bucket.provider, bucket.region) == ("provider.aws.b", "ca-west-1")
    assert bucket.source.file == "main.tf.json" and bucket.source.line == 20
    assert resources["aws_subnet.s[1]"].values["cidr_block"] == "10.0.1.0/24"


def test_override_files_are_merged(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
provider "aws" {
  region = "ca-central-1"
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  acl    = "private"
  versioning {
    enabled = false
  }
  logging {
    target = "x"
  }
}
""",
            "emulator_override.tf": """
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket" "b" {
  acl = "public-read"
  versioning {
    enabled = true
  }
}
""",
        },
    )
    bucket = resources["aws_s3_bucket.b"]
    assert bucket.values == {
        "bucket": "b",
        "acl": "public-read",
        "logging": [{"target": "x"}],
        "versioning": [{"enabled": True}],
    }
    assert bucket.source == Source("main.tf", 5)
    assert bucket.region == "us-east-1"


def test_hidden_and_backup_files_are_ignored(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": 'resource "t_x" "a" {}\n',
        ".hidden.tf": "broken {",
        "main.tf~": "broken {",
        "#main.tf#": "broken {",
    }
    assert set(load(tmp_path, files)) == {"t_x.a", "provider.t"}


def test_single_file_path(tmp_path: Path) -> None:
    write(tmp_path, {"a.tf": 'resource "t_x" "a" {}\n', "b.tf": 'resource "t_x" "b" {}\n'})
    assert [r.address for r in load_hcl([tmp_path / "a.tf"])] == ["t_x.a", "provider.t"]


def test_tf_json_modules_variables_and_dynamic_blocks(tmp_path: Path) -> None:
    root = {
        "provider": {"aws": [{"region": "ca-central-1"}, {"alias": "west", "region": "ca-west-1"}]},
        "module": {"m": {"source": "./m", "providers": {"aws": "aws.west"}, "cfg": {"on": True}}},
    }
    child = {
        "variable": {"cfg": {"type": "object({ on = bool, size = optional(number, 3) })"}},
        "resource": {
            "aws_security_group": {
                "sg": {
                    "size": "${var.cfg.size}",
                    "dynamic": {
                        "ingress": {"for_each": "${[80, 443]}", "content": {"port": "${ingress.value}"}}
                    },
                }
            }
        },
    }
    resources = load(tmp_path, {"main.tf.json": json.dumps(root), "m/main.tf.json": json.dumps(child)})
    group = resources["module.m.aws_security_group.sg"]
    assert group.values == {"size": 3, "ingress": [{"port": 80}, {"port": 443}]}
    assert (group.provider, group.region) == ("provider.aws.west", "ca-west-1")
