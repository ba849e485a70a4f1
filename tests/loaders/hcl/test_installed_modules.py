"""Module calls that are not local: followed through `terraform init`'s .terraform/modules/modules.json
(registry, git, nested keys), and without it one `unknown` finding per call while the rest is judged."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.cli import main
from compliance.loaders.hcl import load_hcl
from compliance.model import Status
from compliance.scan import scan
from tests.loaders.hcl.support import error_of, write

ROOT: dict[str, str | bytes] = {
    "main.tf": """
provider "aws" {
  region = "ca-central-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  name    = "core"
}

module "store" {
  source = "git::https://example.com/acme/store.git?ref=v1.2.0"
}

resource "aws_efs_file_system" "local" {
  encrypted = false
}
""",
}

# What `terraform init` leaves: the registry module (which itself calls a registry submodule, key vpc.flow),
# the git module (which calls a local submodule, followed by its path as usual).
INSTALLED: dict[str, str | bytes] = {
    ".terraform/modules/vpc/main.tf": """
variable "name" {
  type = string
}

resource "aws_efs_file_system" "vpc" {
  encrypted      = true
  creation_token = var.name
}

module "flow" {
  source  = "terraform-aws-modules/flow/aws"
  version = "1.0.0"
}
""",
    ".terraform/modules/vpc.flow/main.tf": """
resource "aws_efs_file_system" "flow" {
  encrypted = false
}
""",
    ".terraform/modules/store/main.tf": """
module "inner" {
  source = "./inner"
}
""",
    ".terraform/modules/store/inner/main.tf": """
resource "aws_efs_file_system" "inner" {
  encrypted = true
}
""",
}

MANIFEST: dict[str, list[dict[str, str]]] = {
    "Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {
            "Key": "vpc",
            "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws",
            "Version": "5.1.2",
            "Dir": ".terraform/modules/vpc",
        },
        {
            "Key": "vpc.flow",
            "Source": "registry.terraform.io/terraform-aws-modules/flow/aws",
            "Version": "1.0.0",
            "Dir": ".terraform/modules/vpc.flow",
        },
        {
            "Key": "store",
            "Source": "git::https://example.com/acme/store.git?ref=v1.2.0",
            "Dir": ".terraform/modules/store",
        },
        {"Key": "store.inner", "Source": "./inner", "Dir": ".terraform/modules/store/inner"},
    ]
}


def _initialised(tmp_path: Path) -> Path:
    root = write(tmp_path / "root", {**ROOT, **INSTALLED})
    (root / ".terraform/modules/modules.json").write_text(json.dumps(MANIFEST))
    return root


def test_installed_modules_are_followed_by_their_manifest_keys(tmp_path: Path) -> None:
    resources = {r.address: r for r in load_hcl([_initialised(tmp_path)], root=tmp_path)}
    assert {a for a, r in resources.items() if r.type == "aws_efs_file_system"} == {
        "aws_efs_file_system.local",
        "module.vpc.aws_efs_file_system.vpc",
        "module.vpc.module.flow.aws_efs_file_system.flow",
        "module.store.module.inner.aws_efs_file_system.inner",
    }
    assert resources["module.vpc.aws_efs_file_system.vpc"].values["creation_token"] == "core"
    assert resources["module.vpc.aws_efs_file_system.vpc"].source.file.endswith(
        ".terraform/modules/vpc/main.tf"
    )
    assert not [r for r in resources.values() if r.mode == "module"]


def test_installed_modules_are_judged_like_local_ones(tmp_path: Path) -> None:
    result = scan([_initialised(tmp_path)])
    efs = {f.resource: f for f in result.findings if f.rule_id == "ENC001"}
    assert set(efs) == {
        "aws_efs_file_system.local",
        "module.vpc.aws_efs_file_system.vpc",
        "module.vpc.module.flow.aws_efs_file_system.flow",
        "module.store.module.inner.aws_efs_file_system.inner",
    }
    plain = {a for a, f in efs.items() if f.message.startswith("encrypted is false")}
    assert plain == {"aws_efs_file_system.local", "module.vpc.module.flow.aws_efs_file_system.flow"}
    assert not [f for f in result.findings if f.rule_id == "SCN001"]


def test_a_key_missing_from_the_manifest_is_one_unknown(tmp_path: Path) -> None:
    root = _initialised(tmp_path)
    manifest = {"Modules": [m for m in MANIFEST["Modules"] if m["Key"] != "vpc.flow"]}
    (root / ".terraform/modules/modules.json").write_text(json.dumps(manifest))
    unknown = [f for f in scan([root]).findings if f.rule_id == "SCN001"]
    assert [(f.resource, f.status) for f in unknown] == [("module.vpc.module.flow", Status.UNKNOWN)]
    assert "no 'vpc.flow' in its manifest" in unknown[0].message
    assert "'terraform-aws-modules/flow/aws' version '1.0.0'" in unknown[0].message


def test_without_terraform_init_each_remote_call_is_unknown_and_the_rest_judged(tmp_path: Path) -> None:
    root = write(tmp_path / "root", ROOT)
    result = scan([root])
    unknown = {f.resource: f for f in result.findings if f.rule_id == "SCN001"}
    assert set(unknown) == {"module.vpc", "module.store"}
    assert all(f.status is Status.UNKNOWN for f in unknown.values())
    message = unknown["module.store"].message
    assert "git::https://example.com/acme/store.git?ref=v1.2.0" in message
    assert "run terraform init, or scan the plan" in message
    assert "'~> 5.0'" in unknown["module.vpc"].message
    assert unknown["module.vpc"].source.line == 6
    assert {(f.resource, f.status) for f in result.findings if f.rule_id == "ENC001"} == {
        ("aws_efs_file_system.local", Status.FAIL)
    }
    assert result.exit_code == 1
    assert main(["scan", str(root), "--format", "json", "--output", str(tmp_path / "r.json")]) == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert {f["resource"] for f in report["findings"] if f["rule_id"] == "SCN001"} == set(unknown)


def test_only_remote_calls_still_gives_the_unknowns(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    }
    root = write(tmp_path / "root", files)
    assert [(f.rule_id, f.status) for f in scan([root]).findings] == [("SCN001", Status.UNKNOWN)]


def test_a_malformed_manifest_is_bad_input(tmp_path: Path) -> None:
    root = _initialised(tmp_path)
    (root / ".terraform/modules/modules.json").write_text('{"Modules": [{"Key": "vpc"}]}')
    assert "module manifest entry without Key and Dir" in error_of([root], root=tmp_path)
    (root / ".terraform/modules/modules.json").write_text("{not json")
    assert "unreadable module manifest" in error_of([root], root=tmp_path)


def test_an_installed_directory_gone_is_unknown(tmp_path: Path) -> None:
    root = _initialised(tmp_path)
    for file in (root / ".terraform/modules/vpc.flow").iterdir():
        file.unlink()
    flow = {r.address: r for r in load_hcl([root], root=tmp_path)}["module.vpc.module.flow"]
    assert flow.mode == "module" and "is missing: run terraform init" in flow.values["not_followed"]
