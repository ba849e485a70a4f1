"""The HCL loader: resource addresses, values, sources, sensitive paths, variables and outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.loaders.hcl import load_hcl
from compliance.model import Origin, Source, Unknown
from tests.loaders.hcl.support import error_of, load, write


def test_resource_values_nested_blocks_and_source(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
  tags   = { Name = "logs", "x-y" = 1 }
  versioning {
    enabled = true
  }
  rule {
    id = "a"
  }
  rule {
    id = "b"
  }
  lifecycle {
    prevent_destroy = true
  }
  depends_on = [aws_s3_bucket.other]
}
resource "aws_s3_bucket" "other" {}
"""
        },
    )
    bucket = resources["aws_s3_bucket.logs"]
    assert bucket.values == {
        "bucket": "logs",
        "tags": {"Name": "logs", "x-y": 1},
        "versioning": [{"enabled": True}],
        "rule": [{"id": "a"}, {"id": "b"}],
    }
    assert (bucket.mode, bucket.type, bucket.name, bucket.module) == ("managed", "aws_s3_bucket", "logs", "")
    assert bucket.source == Source("main.tf", 2)
    assert bucket.origin is Origin.HCL
    assert bucket.action == ""
    assert resources["aws_s3_bucket.other"].values == {}


def test_data_sources_have_data_addresses(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""
        },
    )
    document = resources["data.aws_iam_policy_document.trust"]
    assert document.mode == "data"
    assert document.values["statement"][0]["principals"][0]["identifiers"] == ["ecs-tasks.amazonaws.com"]
    policy = resources["aws_iam_role.r"].values["assume_role_policy"]
    assert isinstance(policy, Unknown)
    assert policy.refs == ("data.aws_iam_policy_document.trust",)


def test_terraform_locals_output_moved_blocks_emit_nothing(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
terraform {
  required_version = ">= 1.5"
}
locals { a = 1 }
output "o" { value = local.a }
moved {
  from = aws_s3_bucket.a
  to   = aws_s3_bucket.b
}
import {
  to = aws_s3_bucket.b
  id = "b"
}
removed {
  from = aws_s3_bucket.c
}
check "c" {
  assert {
    condition     = true
    error_message = "x"
  }
}
resource "aws_s3_bucket" "b" {}
"""
        },
    )
    assert set(resources) == {"aws_s3_bucket.b", "provider.aws", "output.o"}
    output = resources["output.o"]
    assert (output.mode, output.type, output.values) == (
        "output",
        "terraform_output",
        {"value": 1, "sensitive": False},
    )


def test_sensitive_paths(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
variable "password" {
  sensitive = true
  default   = "hunter2"
}
variable "flags" {
  sensitive = true
  default   = { encrypted = true, note = "", key = "k" }
}
locals { conn = "user:${var.password}" }
resource "aws_db_instance" "db" {
  flags    = var.flags
  password = var.password
  url      = local.conn
  name     = "db"
  secret {
    value = var.password
  }
}
"""
        },
    )
    db = resources["aws_db_instance.db"]
    assert db.sensitive == frozenset({"flags", "password", "url", "secret.0.value"})
    assert db.values == {
        "flags": {"encrypted": True, "note": "", "key": "(sensitive)"},
        "password": "(sensitive)",
        "url": "(sensitive)",
        "name": "db",
        "secret": [{"value": "(sensitive)"}],
    }
    variable = resources["var.password"]
    assert (variable.mode, variable.type, variable.source) == (
        "variable",
        "terraform_variable",
        Source("main.tf", 2),
    )
    assert variable.values == {"default": "(sensitive)", "sensitive": True}
    assert variable.sensitive == frozenset({"default"})


def test_builtin_terraform_provider_is_not_implied(tmp_path: Path) -> None:
    resources = load(tmp_path, {"main.tf": 'resource "terraform_data" "d" {\n  input = 1\n}\n'})
    assert set(resources) == {"terraform_data.d"}
    assert resources["terraform_data.d"].provider == "provider.terraform"


def test_variables_and_outputs_as_resources(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
variable "region" {
  default = "ca-central-1"
}
variable "token" {
  sensitive = true
}
module "m" {
  source = "./m"
  count  = 2
}
output "plain" {
  value = var.region
}
output "leaky" {
  value = var.token
}
output "hidden" {
  value     = "x"
  sensitive = true
}
""",
            "m/main.tf": 'variable "size" {\n  default = 3\n}\noutput "o" {\n  value = 1\n}\n',
        },
    )
    assert resources["var.region"].values == {"default": "ca-central-1", "sensitive": False}
    assert resources["var.token"].values == {"default": None, "sensitive": True}
    assert resources["module.m.var.size"].module == "module.m"
    assert resources["module.m.var.size"].values == {"default": 3, "sensitive": False, "values": [3, 3]}
    # Module outputs too, per instance: a secret passed through a module output is passed on unmarked.
    assert resources["module.m[1].output.o"].values == {"value": 1, "sensitive": False}
    assert resources["output.plain"].values == {"value": "ca-central-1", "sensitive": False}
    assert resources["output.hidden"].values == {"value": "(sensitive)", "sensitive": True}
    leaky = resources["output.leaky"]
    assert leaky.values["sensitive"] is False
    assert isinstance(leaky.values["value"], Unknown)  # no value; would be redacted otherwise


def test_sources_outside_the_working_directory_are_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"cfg/main.tf": 'resource "t_x" "a" {}\n', "elsewhere/keep": ""})
    monkeypatch.chdir(tmp_path / "elsewhere")
    (resource, _provider) = load_hcl([tmp_path / "cfg"])
    assert resource.source == Source(str((tmp_path / "cfg/main.tf").resolve()), 1)


def test_default_allowed_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {
        "b/main.tf": 'module "c" {\n  source = "../c"\n}\n',
        "c/main.tf": 'resource "t_x" "c" {}\n',
        "a/keep": "",
    }
    write(tmp_path, files)
    assert "module.c.t_x.c" in {r.address for r in load_hcl([tmp_path / "b"])}  # under the cwd
    monkeypatch.chdir(tmp_path / "a")  # neither under the cwd nor in a git work tree: b itself
    assert "escapes the allowed tree" in error_of([tmp_path / "b"])
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git file counts too
    assert "module.c.t_x.c" in {r.address for r in load_hcl([tmp_path / "b"])}
