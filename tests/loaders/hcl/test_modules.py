"""The HCL loader (loaders/hcl/modules.py): local modules, remote modules, providers and their inheritance."""

from __future__ import annotations

from pathlib import Path

from compliance.loaders.hcl import load_hcl
from compliance.model import Resource, Source, Unknown
from tests.loaders.hcl.support import load, write

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
    assert registry.values == {
        "source": "terraform-aws-modules/vpc/aws",
        "version": "5.0.0",
        "not_followed": "not installed (no .terraform/modules/modules.json): run terraform init, or scan the plan",
    }
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
    assert resources["module.remote[0]"].values["source"] == "git::https://example.com/x.git"
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
