"""The HCL loader: count, for_each and dynamic blocks, instance keys and expansion limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.loaders.hcl import modules as hcl_modules
from compliance.model import Unknown
from tests.loaders.hcl.support import error_of, load, value, write


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


def test_huge_count_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n  count = 100000000\n}\n'})
    assert error_of([tmp_path]) == "main.tf:1: 100000000 instances, over the limit of 10000"


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
    assert error_of([tmp_path]) == "m/main.tf:1: the configuration expands to over 50 instances"
