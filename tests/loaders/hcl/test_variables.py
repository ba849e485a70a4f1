"""The HCL loader: variables (defaults, tfvars precedence, object types) and locals."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.model import Unknown
from tests.loaders.hcl.support import load, value

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
