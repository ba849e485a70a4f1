"""The HCL loader: addresses, evaluated values, unknowns, expansion, modules, providers and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.hcl import load_hcl
from compliance.loaders.hcl import modules as hcl_modules
from compliance.loaders.hcl import parse as hcl_parse
from compliance.model import InputError, Origin, Resource, Source, Unknown


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(base: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return base


def load(base: Path, files: dict[str, str | bytes], **kwargs: Any) -> dict[str, Resource]:
    write(base, files)
    return {r.address: r for r in load_hcl([base], **kwargs)}


def value(tmp_path: Path, expression: str, extra: str = "") -> Any:
    resources = load(tmp_path, {"main.tf": f'resource "t_x" "e" {{\n  v = {expression}\n}}\n{extra}'})
    return resources["t_x.e"].values["v"]


# --- resources, values, sources ------------------------------------------------------------------------


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


# --- variables and locals ------------------------------------------------------------------------------

VARIABLES = """
variable "region" {
  type    = string
  default = "ca-central-1"
}
variable "size" {
  type = number
}
variable "nothing" {}
resource "t_x" "e" {
  region  = var.region
  size    = var.size
  nothing = var.nothing
}
"""


def test_variable_defaults_and_missing_values(tmp_path: Path) -> None:
    values = load(tmp_path, {"main.tf": VARIABLES})["t_x.e"].values
    assert values["region"] == "ca-central-1"
    assert values["size"] == Unknown(reason="variable size has no value")
    assert values["nothing"] == Unknown(reason="variable nothing has no value")


def test_tfvars_precedence(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": VARIABLES,
        "terraform.tfvars": 'region = "ca-west-1"\nsize = "3"\n',
        "b.auto.tfvars": 'region = "b"\n',
        "a.auto.tfvars": 'region = "a"\nnothing = "auto"\n',
        "extra/one.tfvars": 'region = "one"\n',
        "extra/two.tfvars.json": json.dumps({"region": "two"}),
    }
    values = load(tmp_path, files)["t_x.e"].values
    assert values == {"region": "b", "size": 3, "nothing": "auto"}
    given = [tmp_path / "extra/two.tfvars.json", tmp_path / "extra/one.tfvars"]
    values = load(tmp_path, {}, var_files=given)["t_x.e"].values
    assert values["region"] == "one"


def test_locals_in_any_order_across_files(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "a.tf": 'resource "t_x" "e" {\n  name = local.full\n}\nlocals { full = "${local.prefix}-${local.env}" }\n',
            "b.tf": 'locals {\n  prefix = upper(local.env)\n  env = "prod"\n}\n',
        },
    )
    assert resources["t_x.e"].values["name"] == "PROD-prod"


def test_cyclic_locals_are_unknown(tmp_path: Path) -> None:
    result = value(tmp_path, "local.a", "locals {\n  a = local.b\n  b = local.a\n}\n")
    assert isinstance(result, Unknown)
    assert "depends on itself" in result.reason


def test_object_type_optional_defaults(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
variable "cfg" {
  type = object({
    encrypted = optional(bool, true)
    kms       = optional(string)
    retention = number
    rules     = optional(list(object({ port = number, open = optional(bool, false) })), [])
  })
  default = { retention = "30", rules = [{ port = 443 }] }
}
resource "t_x" "e" {
  cfg = var.cfg
}
"""
        },
    )
    assert resources["t_x.e"].values["cfg"] == {
        "encrypted": True,
        "kms": None,
        "retention": 30,
        "rules": [{"port": 443, "open": False}],
    }


# --- expressions and functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3.5),
        ("-5 % 3", -2),
        ('"5" + 1', 6),
        ('1 == "1"', False),
        ("!true || false", False),
        ("3 >= 3 && 2 < 1", False),
        ('true ? "a" : "b"', "a"),
        ("[1, 2][1]", 2),
        ("{ a = { b = [10, 20] } }.a.b[1]", 20),
        ("[{ n = 1 }, { n = 2 }][*].n", [1, 2]),
        ('[for k, v in { a = 1, b = 2 } : "${k}=${v}" if v > 1]', ["b=2"]),
        ("{ for k, v in { a = 1, b = 2 } : upper(k) => v }", {"A": 1, "B": 2}),
        ('{ for s in ["a", "b", "a"] : s => s... }', {"a": ["a", "a"], "b": ["b"]}),
        ('"a-${1 + 1}-${true}"', "a-2-true"),
        ('"a%{if false}b%{else}c%{endif}%{for x in [1, 2]}${x},%{endfor}"', "ac1,2,"),
        ('"$${literal} %%{x}"', "${literal} %{x}"),
        (r'"q\"uote\n\u00e9"', 'q"uote\né'),
        ("1.5e3", 1500),
        ('jsonencode({ b = 1, a = ["x"] })', '{"a":["x"],"b":1}'),
        ('jsondecode("{\\"a\\": [1, 2.5]}")', {"a": [1, 2.5]}),
        ("merge({ a = 1, b = 1 }, { b = 2 }, null)", {"a": 1, "b": 2}),
        ("concat([1], [2, 3])", [1, 2, 3]),
        ('lookup({ a = 1 }, "z", "default")', "default"),
        ('try({ a = 1 }.z, "fallback")', "fallback"),
        ("can({ a = 1 }.z)", False),
        ('coalesce("", null, "c")', "c"),
        ("coalescelist([], [1])", [1]),
        ('format("%s-%03d-%q-%v", "x", 7, "y", true)', 'x-007-"y"-true'),
        ('join(",", split("/", "a/b/c"))', "a,b,c"),
        ('replace("hello", "l", "L")', "heLLo"),
        ('replace("hello", "/l+/", "L")', "heLo"),
        ('lower("AB")', "ab"),
        ('upper("ab")', "AB"),
        ("tostring(5)", "5"),
        ('tonumber("5")', 5),
        ('tobool("true")', True),
        ('tolist(["a"])', ["a"]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ("tomap({ a = 1 })", {"a": 1}),
        ('length("abc")', 3),
        ('element(["a", "b"], 3)', "b"),
        ("keys({ b = 1, a = 2 })", ["a", "b"]),
        ("values({ b = 1, a = 2 })", [2, 1]),
        ('contains(["a"], "a")', True),
        ('distinct(["a", "a", "b"])', ["a", "b"]),
        ("flatten([[1], [2, [3]]])", [1, 2, 3]),
        ('compact(["a", "", null])', ["a"]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ("range(3)", [0, 1, 2]),
        ("range(1, 7, 2)", [1, 3, 5]),
        ("min(3, 1, 2)", 1),
        ("max(1, 5, 3)", 5),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ('cidrsubnet("fd00::/56", 8, 1)', "fd00:0:0:1::/64"),
        ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
        ("terraform.workspace", "default"),
        ("path.module", "."),
    ],
)
def test_expressions(tmp_path: Path, expression: str, expected: Any) -> None:
    assert value(tmp_path, expression) == expected


def test_heredocs_with_interpolation(tmp_path: Path) -> None:
    text = 'resource "t_x" "e" {\n  plain = <<EOF\n  keep ${local.n}\nEOF\n  trimmed = <<-EOT\n    {\n      "a": "${local.n}"\n    }\n  EOT\n}\nlocals { n = "v" }\n'
    values = load(tmp_path, {"main.tf": text})["t_x.e"].values
    assert values["plain"] == "  keep v\n"
    assert values["trimmed"] == '{\n  "a": "v"\n}\n'


def test_file_and_templatefile_relative_to_module(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./mod"\n}\nresource "t_x" "root" {\n  v = file("${path.root}/p.json")\n}\n',
            "p.json": '{"root": true}',
            "mod/main.tf": """
resource "t_x" "e" {
  doc    = jsondecode(file("${path.module}/policy.json"))
  render = templatefile("${path.module}/t.tpl", { names = ["a", "b"], bucket = "bk" })
  gone   = file("${path.module}/missing.json")
  dir    = path.module
}
""",
            "mod/policy.json": '{"Version": "2012-10-17"}',
            "mod/t.tpl": "%{ for n in names }${bucket}/${n}\n%{ endfor }",
        },
    )
    values = resources["module.m.t_x.e"].values
    assert values["doc"] == {"Version": "2012-10-17"}
    assert values["render"] == "bk/a\nbk/b\n"
    assert isinstance(values["gone"], Unknown)
    assert "not a regular file" in value(tmp_path, 'file("/dev/zero")').reason
    assert values["dir"] == "mod"
    assert resources["t_x.root"].values["v"] == '{"root": true}'


# --- unknowns ------------------------------------------------------------------------------------------


def test_references_become_unknowns_with_addresses(tmp_path: Path) -> None:
    extra = 'resource "aws_kms_key" "k" {\n  count = 2\n}\ndata "aws_caller_identity" "me" {}\n'
    assert value(tmp_path, "aws_kms_key.k[1].arn", extra).refs == ("aws_kms_key.k[1]",)
    assert [u.refs for u in value(tmp_path, "aws_kms_key.k[*].arn", extra)] == [
        ("aws_kms_key.k[0]",),
        ("aws_kms_key.k[1]",),
    ]
    assert value(tmp_path, "data.aws_caller_identity.me.account_id", extra).refs == (
        "data.aws_caller_identity.me",
    )
    merged = value(tmp_path, '"${aws_kms_key.k[0].arn}:${data.aws_caller_identity.me.id}"', extra)
    assert merged.refs == ("aws_kms_key.k[0]", "data.aws_caller_identity.me")
    listed = value(tmp_path, '["x", aws_kms_key.k[0].arn]', extra)
    assert listed == [
        "x",
        Unknown(refs=("aws_kms_key.k[0]",), reason="aws_kms_key.k[0].arn is known only after apply"),
    ]
    assert value(tmp_path, "length([1, aws_kms_key.k[0].arn])", extra) == 2
    assert value(tmp_path, 'upper(aws_kms_key.k[0].arn) == "X"', extra).refs == ("aws_kms_key.k[0]",)


def test_unknowns_never_guess(tmp_path: Path) -> None:
    extra = 'resource "aws_kms_key" "k" {}\n'
    assert value(tmp_path, "false && aws_kms_key.k.enabled", extra) is False
    assert isinstance(value(tmp_path, "true && aws_kms_key.k.enabled", extra), Unknown)
    assert value(tmp_path, 'aws_kms_key.k.arn == "" ? "same" : "same"', extra) == "same"
    either = value(tmp_path, "aws_kms_key.k.enabled ? aws_kms_key.k.arn : null", extra)
    assert isinstance(either, Unknown)
    assert either.refs == ()  # might be null: not a reference to a set value
    guarded = value(tmp_path, 'aws_kms_key.k.enabled ? { a = 1 }.missing : "x"', extra)
    assert guarded == Unknown(reason="aws_kms_key.k.enabled is known only after apply")
    assert "Numerical result out of range" in value(tmp_path, "pow(10, 1000)").reason
    assert "OverflowError" in value(tmp_path, "1" + "0" * 400 + " / 3").reason
    assert "not evaluated" in value(tmp_path, "unknownfn(1)").reason
    assert "not evaluated" in value(tmp_path, 'provider::aws::arn_parse("x")').reason
    assert "has no attribute" in value(tmp_path, "{ a = 1 }.b").reason
    assert "undeclared" in value(tmp_path, "aws_nothing.here.id").reason
    assert (
        "ephemeral" in value(tmp_path, "ephemeral.aws_secretsmanager_secret_version.s.secret_string").reason
    )


def test_jsonencode_with_unknowns_keeps_the_structure(tmp_path: Path) -> None:
    extra = 'resource "aws_s3_bucket" "b" {}\n'
    policy = value(
        tmp_path,
        'jsonencode({ Statement = [{ Effect = "Deny", Resource = ["${aws_s3_bucket.b.arn}/*"] }] })',
        extra,
    )
    resource = policy["Statement"][0]["Resource"][0]
    assert policy["Statement"][0]["Effect"] == "Deny"
    assert isinstance(resource, Unknown) and resource.refs == ("aws_s3_bucket.b",)
    heredoc = value(tmp_path, '<<EOF\n{"Resource": "${aws_s3_bucket.b.arn}/*", "N": 1}\nEOF\n', extra)
    assert heredoc["N"] == 1 and heredoc["Resource"].refs == ("aws_s3_bucket.b",)
    not_json = value(tmp_path, '"arn:${aws_s3_bucket.b.arn}"', extra)
    assert isinstance(not_json, Unknown)


# --- count, for_each, dynamic --------------------------------------------------------------------------


def test_count_and_for_each_expansion(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
variable "names" {
  default = ["b", "a"]
}
resource "aws_subnet" "private" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_s3_bucket" "b" {
  for_each = toset(var.names)
  bucket   = "${each.key}-${each.value}"
}
resource "aws_s3_bucket" "m" {
  for_each = { x = { enc = true } }
  enc      = each.value.enc
}
resource "aws_s3_bucket" "none" {
  count = 0
}
resource "aws_kms_key" "k" {}
resource "aws_s3_bucket" "dyn" {
  count  = length(aws_kms_key.k.arn)
  index  = count.index
}
resource "aws_s3_bucket" "dyn_each" {
  for_each = aws_kms_key.k.tags
  key      = each.key
}
"""
        },
    )
    assert resources["aws_subnet.private[1]"].values["cidr_block"] == "10.0.1.0/24"
    assert resources['aws_s3_bucket.b["a"]'].values["bucket"] == "a-a"
    assert 'aws_s3_bucket.b["b"]' in resources
    assert resources['aws_s3_bucket.m["x"]'].values["enc"] is True
    assert not [a for a in resources if "none" in a]
    assert resources["aws_s3_bucket.dyn[*]"].values["index"].refs == ("aws_kms_key.k",)
    assert isinstance(resources["aws_s3_bucket.dyn_each[*]"].values["key"], Unknown)


def test_dynamic_blocks(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
resource "aws_kms_key" "k" {}
resource "aws_security_group" "sg" {
  ingress {
    from_port = 22
  }
  dynamic "ingress" {
    for_each = { https = 443, http = 80 }
    content {
      description = ingress.key
      from_port   = ingress.value
    }
  }
  dynamic "egress" {
    for_each = [1]
    iterator = rule
    content {
      from_port = rule.value
    }
  }
  dynamic "tag" {
    for_each = aws_kms_key.k.tags
    content {
      key = tag.key
    }
  }
  dynamic "ref" {
    for_each = [aws_kms_key.k.arn]
    content {
      arn = ref.value
    }
  }
}
"""
        },
    )
    values = resources["aws_security_group.sg"].values
    assert values["ingress"] == [
        {"from_port": 22},
        {"description": "http", "from_port": 80},
        {"description": "https", "from_port": 443},
    ]
    assert values["egress"] == [{"from_port": 1}]
    assert isinstance(values["tag"], Unknown) and values["tag"].refs == ("aws_kms_key.k",)
    assert values["ref"][0]["arn"].refs == ("aws_kms_key.k",)


# --- modules -------------------------------------------------------------------------------------------

MODULES: dict[str, str | bytes] = {
    "envs/prod/main.tf": """
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "replica"
  region = "ca-west-1"
}
variable "region" {
  default = "ca-central-1"
}
module "vpc" {
  source = "../../modules/vpc"
  cidr   = "10.1.0.0/16"
}
module "neo4j" {
  source     = "../../modules/efs"
  subnet_ids = module.vpc.private_subnet_ids
  first      = module.vpc.first
  providers = {
    aws = aws.replica
  }
}
module "stores" {
  source   = "../../modules/efs"
  for_each = { a = 1, b = 2 }
  name     = each.key
}
module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
resource "t_x" "uses" {
  a = module.stores["a"].name
  b = module.registry.vpc_id
  c = [for k, m in module.stores : m.name]
}
""",
    "modules/vpc/main.tf": """
variable "cidr" {}
resource "aws_subnet" "private" {
  count      = 2
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "private_subnet_ids" { value = aws_subnet.private[*].id }
output "first" { value = aws_subnet.private[0].id }
""",
    "modules/efs/main.tf": """
variable "subnet_ids" {
  default = []
}
variable "first" {
  default = null
}
variable "name" {
  default = "neo4j"
}
resource "aws_efs_file_system" "this" {
  encrypted  = true
  creation_token = var.name
}
resource "aws_efs_mount_target" "this" {
  subnet_id = var.first
  subnets   = var.subnet_ids
}
output "name" { value = aws_efs_file_system.this.creation_token }
""",
}


def test_local_modules_addresses_inputs_and_outputs(tmp_path: Path) -> None:
    resources = _load_modules(tmp_path)
    assert resources["module.vpc.aws_subnet.private[1]"].values["cidr_block"] == "10.1.1.0/24"
    assert resources["module.vpc.aws_subnet.private[1]"].source == Source("modules/vpc/main.tf", 3)
    target = resources["module.neo4j.aws_efs_mount_target.this"]
    assert target.module == "module.neo4j"
    assert target.values["subnet_id"].refs == ("module.vpc.aws_subnet.private[0]",)
    assert [u.refs for u in target.values["subnets"]] == [
        ("module.vpc.aws_subnet.private[0]",),
        ("module.vpc.aws_subnet.private[1]",),
    ]
    assert resources['module.stores["b"].aws_efs_file_system.this'].values["creation_token"] == "b"
    uses = resources["t_x.uses"].values
    assert uses["a"].refs == ('module.stores["a"].aws_efs_file_system.this',)
    assert uses["b"].refs == ("module.registry",)
    assert [u.refs for u in uses["c"]] == [
        ('module.stores["a"].aws_efs_file_system.this',),
        ('module.stores["b"].aws_efs_file_system.this',),
    ]


def _load_modules(tmp_path: Path) -> dict[str, Resource]:
    write(tmp_path, MODULES)
    (tmp_path / ".git").mkdir()
    return {r.address: r for r in load_hcl([tmp_path / "envs/prod"])}


def test_remote_module_becomes_a_module_resource(tmp_path: Path) -> None:
    registry = _load_modules(tmp_path)["module.registry"]
    assert (registry.mode, registry.type, registry.name) == ("module", "module", "registry")
    assert registry.values == {"source": "terraform-aws-modules/vpc/aws"}
    assert registry.source == Source("envs/prod/main.tf", 29)


def test_providers_aliases_mapping_and_inheritance(tmp_path: Path) -> None:
    resources = _load_modules(tmp_path)
    default = resources["provider.aws"]
    assert (default.mode, default.type, default.name, default.region) == (
        "provider",
        "provider",
        "aws",
        "ca-central-1",
    )
    assert default.values == {"region": "ca-central-1"}
    replica = resources["provider.aws.replica"]
    assert replica.values == {"alias": "replica", "region": "ca-west-1"}
    subnet = resources["module.vpc.aws_subnet.private[0]"]
    assert (subnet.provider, subnet.region) == ("provider.aws", "ca-central-1")
    efs = resources["module.neo4j.aws_efs_file_system.this"]
    assert (efs.provider, efs.region) == ("provider.aws.replica", "ca-west-1")
    assert resources["t_x.uses"].provider == "provider.t"
    implicit = resources["provider.t"]
    assert (implicit.values, implicit.region, implicit.mode) == ({}, None, "provider")


def test_resource_provider_argument_and_module_provider_blocks(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_acm_certificate" "cf" {
  provider = aws.us
}
resource "aws_s3_bucket" "b" {
  region = "ca-west-1"
}
module "child" {
  source = "./child"
}
""",
            "child/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_s3_bucket" "c" {}\n',
        },
    )
    assert resources["aws_acm_certificate.cf"].provider == "provider.aws.us"
    assert resources["aws_acm_certificate.cf"].region == "us-east-1"
    assert resources["aws_s3_bucket.b"].provider == "provider.aws"
    assert resources["aws_s3_bucket.b"].region == "ca-west-1"
    assert resources["provider.aws"].values == {}
    assert resources["provider.aws"].region is None
    child = resources["module.child.aws_s3_bucket.c"]
    assert (child.provider, child.region) == ("module.child.provider.aws", "eu-west-1")
    assert resources["module.child.provider.aws"].module == "module.child"


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


def test_hash_functions(tmp_path: Path) -> None:
    write(tmp_path, {"blob.txt": "a"})
    assert (
        value(tmp_path, 'sha256("a")') == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    )
    assert value(tmp_path, 'base64sha256("a")') == "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
    assert value(tmp_path, 'filebase64sha256("blob.txt")') == "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
    assert value(tmp_path, 'filemd5("blob.txt")') == "0cc175b9c0f1b6a831c399e269772661"


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


# --- bad input -----------------------------------------------------------------------------------------


def _error(paths: list[Path], **kwargs: Any) -> str:
    with pytest.raises(InputError) as caught:
        load_hcl(paths, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    assert _error([tmp_path / "nope"]) == "nope: no such file or directory"
    (tmp_path / "empty").mkdir()
    assert "empty: directory has no Terraform files" in _error([tmp_path / "empty"])
    os.mkfifo(tmp_path / "pipe.tf")
    assert _error([tmp_path / "pipe.tf"]) == "pipe.tf: not a regular file or directory"
    write(tmp_path, {"x.txt": "a"})
    assert "x.txt: not a Terraform file" in _error([tmp_path / "x.txt"])


def test_odd_file_names_stay_on_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"bad\nname.tf": "x = = 1\n"})
    assert _error([tmp_path]).startswith("bad\\nname.tf:1: invalid HCL")


def test_broken_hcl_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "a" "b" {\n  x = 1\n  y = = 2\n}\n'})
    assert _error([tmp_path]).startswith("main.tf:3: invalid HCL")
    write(tmp_path, {"main.tf": 'resource "a" "b" {\n  x = 1\n'})
    assert _error([tmp_path]).startswith("main.tf:")


def test_binary_non_utf8_and_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"main.tf": b"resource\x00\x01\x02"})
    assert _error([tmp_path]) == "main.tf: binary file (contains NUL bytes), not Terraform"
    write(tmp_path, {"main.tf": b'x = "\xff\xfe"\n'})
    assert _error([tmp_path]) == "main.tf: not UTF-8 text (byte 5)"
    write(tmp_path, {"main.tf": "a = 1\n" * 100})
    monkeypatch.setattr(hcl_parse, "MAX_FILE_BYTES", 100)
    assert _error([tmp_path]) == "main.tf: file is 600 bytes, over the 100-byte limit"


def test_invalid_json_and_tfvars(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf.json": '{"resource": '})
    assert _error([tmp_path]).startswith("main.tf.json:1: invalid JSON")
    (tmp_path / "main.tf.json").unlink()
    write(tmp_path, {"main.tf": "", "terraform.tfvars": "a = \n"})
    assert _error([tmp_path]).startswith("terraform.tfvars:")
    assert _error([tmp_path / "main.tf"], var_files=[tmp_path / "nope.tfvars"]).startswith("nope.tfvars:")


def test_duplicate_declarations(tmp_path: Path) -> None:
    write(tmp_path, {"a.tf": 'resource "t_x" "a" {}\n', "b.tf": 'resource "t_x" "a" {}\n'})
    assert _error([tmp_path]) == "b.tf:1: resource t_x.a is declared twice"


def test_module_source_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"root/main.tf": 'module "m" {\n  source = "../outside"\n}\n', "outside/main.tf": ""})
    message = _error([tmp_path / "root"], root=tmp_path / "root")
    assert message.startswith("root/main.tf:1: module m: source '../outside' escapes the allowed tree")
    assert load_hcl([tmp_path / "root"], root=tmp_path) == ()

    write(
        tmp_path,
        {
            "cyc/a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "cyc/b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    assert "cyclic module source '../a'" in _error([tmp_path / "cyc/a"])

    write(tmp_path, {"gone/main.tf": 'module "m" {\n  source = "./missing"\n}\n'})
    assert _error([tmp_path / "gone"]) == "gone/main.tf:1: module m: source './missing': directory not found"

    write(tmp_path, {"deep/main.tf": 'module "m" {\n  source = "./d"\n}\n'})
    path = tmp_path / "deep"
    for _ in range(4):
        path = path / "d"
        write(path, {"main.tf": 'module "m" {\n  source = "./d"\n}\n'})
    write(path / "d", {"main.tf": ""})
    monkeypatch.setattr(hcl_modules, "MAX_MODULE_DEPTH", 3)
    assert "modules nested deeper than 3" in _error([tmp_path / "deep"])


def test_symlink_loops(tmp_path: Path) -> None:
    write(tmp_path, {"loop/main.tf": 'module "m" {\n  source = "./self"\n}\n'})
    os.symlink(tmp_path / "loop/self2", tmp_path / "loop/self")
    os.symlink(tmp_path / "loop/self", tmp_path / "loop/self2")
    assert "symlink loop" in _error([tmp_path / "loop"])
    write(tmp_path, {"files/main.tf": ""})
    os.symlink(tmp_path / "files/b.tf", tmp_path / "files/a.tf")
    os.symlink(tmp_path / "files/a.tf", tmp_path / "files/b.tf")
    assert _error([tmp_path / "files"]) == "files/a.tf: broken symlink or symlink loop"


def test_deeply_nested_expression_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n  v = ' + "[" * 5000 + "]" * 5000 + "\n}\n"})
    assert _error([tmp_path]) == "main.tf:2: expression nested too deeply to evaluate"


def test_deeply_nested_blocks_are_bad_input(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n' + "a {\n" * 3000 + "}\n" * 3000 + "}\n"})
    assert _error([tmp_path]) == "main.tf: blocks nested too deeply"


def test_huge_count_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n  count = 100000000\n}\n'})
    assert _error([tmp_path]) == "main.tf:1: 100000000 instances, over the limit of 10000"


# --- more modules, JSON syntax and the parser ---------------------------------------------------------


def test_module_count_for_each_unknown_and_remote_instances(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
resource "aws_kms_key" "k" {}
module "counted" {
  source = "./m"
  count  = 2
  n      = count.index
}
module "off" {
  source = "./m"
  count  = 0
}
module "unknown" {
  source   = "./m"
  for_each = aws_kms_key.k.tags
  n        = each.value
}
module "remote" {
  source = "git::https://example.com/x.git"
  count  = 2
}
resource "t_x" "e" {
  all   = module.counted[*].n
  one   = module.counted[1].n
  maybe = module.unknown["a"].n
  far   = module.remote[1].id
}
""",
            "m/main.tf": 'variable "n" {\n  default = null\n}\nresource "t_x" "r" {\n  n = var.n\n}\noutput "n" {\n  value = var.n\n}\n',
        },
    )
    assert resources["module.counted[1].t_x.r"].values == {"n": 1}
    assert not [a for a in resources if a.startswith("module.off")]
    assert resources["module.unknown[*].t_x.r"].values["n"].refs == ("aws_kms_key.k",)
    assert resources["module.remote[0]"].values == {"source": "git::https://example.com/x.git"}
    assert "module.remote[1]" in resources
    assert resources["t_x.e"].values["all"] == [0, 1]
    assert resources["t_x.e"].values["one"] == 1
    assert resources["t_x.e"].values["maybe"].refs == ("aws_kms_key.k",)
    assert resources["t_x.e"].values["far"].refs == ("module.remote[1]",)


def test_cross_module_cycle_is_unknown(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
module "a" {
  source = "./m"
  x      = module.b.out
}
module "b" {
  source = "./m"
  x      = module.a.out
}
""",
            "m/main.tf": 'variable "x" {}\nresource "t_x" "r" {\n  x = var.x\n}\noutput "out" {\n  value = var.x\n}\n',
        },
    )
    value_a = resources["module.a.t_x.r"].values["x"]
    assert isinstance(value_a, Unknown) and "depends on itself" in value_a.reason


def test_builtin_terraform_provider_is_not_implied(tmp_path: Path) -> None:
    resources = load(tmp_path, {"main.tf": 'resource "terraform_data" "d" {\n  input = 1\n}\n'})
    assert set(resources) == {"terraform_data.d"}
    assert resources["terraform_data.d"].provider == "provider.terraform"


def test_interpolating_a_partial_structure_is_unknown_with_refs(tmp_path: Path) -> None:
    extra = 'resource "aws_s3_bucket" "b" {}\n'
    result = value(tmp_path, '"policy: ${jsonencode({ R = aws_s3_bucket.b.arn })}"', extra)
    assert result == Unknown(
        refs=("aws_s3_bucket.b",), reason="aws_s3_bucket.b.arn is known only after apply"
    )
    assert isinstance(value(tmp_path, '"${jsonencode({ R = aws_s3_bucket.b.arn })}"', extra), dict)


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


def test_parser_falls_back_to_hcl2_when_its_cache_is_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    hcl_parse._parser.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        resources = load(tmp_path, {"main.tf": '\n\nresource "t_x" "late" {\n  v = 1\n}\n'})
    finally:
        monkeypatch.undo()
        hcl_parse._parser.cache_clear()
    assert resources["t_x.late"].source == Source("main.tf", 3)
    assert resources["t_x.late"].values == {"v": 1}


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
    assert resources["module.m.var.size"].values == {"default": 3, "sensitive": False}
    # Module outputs too, per instance: a secret passed through a module output is passed on unmarked.
    assert resources["module.m[1].output.o"].values == {"value": 1, "sensitive": False}
    assert resources["output.plain"].values == {"value": "ca-central-1", "sensitive": False}
    assert resources["output.hidden"].values == {"value": "(sensitive)", "sensitive": True}
    leaky = resources["output.leaky"]
    assert leaky.values["sensitive"] is False
    assert isinstance(leaky.values["value"], Unknown)  # no value; would be redacted otherwise


def test_references_check_known_instance_keys(tmp_path: Path) -> None:
    extra = """
resource "aws_kms_key" "none" {
  count = 0
}
resource "aws_kms_key" "two" {
  count = 2
}
resource "aws_kms_key" "map" {
  for_each = { a = 1 }
}
"""
    assert value(tmp_path, "try(aws_kms_key.none[0].arn, null)", extra) is None
    assert value(tmp_path, "aws_kms_key.none[*].arn", extra) == []
    assert value(tmp_path, "length(aws_kms_key.none)", extra) == 0
    assert "does not exist" in value(tmp_path, "aws_kms_key.two[2].arn", extra).reason
    assert value(tmp_path, "aws_kms_key.two[1].arn", extra).refs == ("aws_kms_key.two[1]",)
    assert value(tmp_path, 'aws_kms_key.map["a"].arn', extra).refs == ('aws_kms_key.map["a"]',)
    assert "does not exist" in value(tmp_path, 'aws_kms_key.map["b"].arn', extra).reason


def test_whole_resource_references_follow_known_instances(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": """
resource "aws_kms_key" "k" {}
resource "aws_subnet" "public" {
  for_each   = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  cidr_block = each.value
}
resource "aws_subnet" "later" {
  for_each = aws_kms_key.k.tags
}
resource "aws_route_table_association" "public" {
  for_each  = aws_subnet.public
  subnet_id = each.value.id
}
resource "t_x" "e" {
  count_of = length(aws_subnet.public)
  later    = aws_subnet.later
}
"""
        },
    )
    association = resources['aws_route_table_association.public["b"]']
    assert association.values["subnet_id"].refs == ('aws_subnet.public["b"]',)
    assert resources["t_x.e"].values["count_of"] == 2
    assert resources["t_x.e"].values["later"] == Unknown(refs=("aws_subnet.later",))


def test_nested_expansion_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hcl_modules, "MAX_TOTAL_INSTANCES", 50)
    files: dict[str, str | bytes] = {
        "main.tf": 'module "m" {\n  source = "./m"\n  count  = 10\n}\n',
        "m/main.tf": 'resource "t_x" "a" {\n  count = 10\n}\n',
    }
    write(tmp_path, files)
    assert _error([tmp_path]) == "m/main.tf:1: the configuration expands to over 50 instances"


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
    assert "escapes the allowed tree" in _error([tmp_path / "b"])
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git file counts too
    assert "module.c.t_x.c" in {r.address for r in load_hcl([tmp_path / "b"])}
