"""The plan loader over a real `terraform show -json` plan, and over bad inputs.

The real plan is made offline once per session and cached in build/ by the digest of its sources: a
first apply of built-in `terraform_data` resources gives it a prior state, so the second configuration
plans every action (create, update, replace, delete, forget, no-op, read) next to AWS resources in
nested modules, aliased providers, a module with its own provider, sensitive values and outputs.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.plan import REDACTED, judged, load_plan
from compliance.model import InputError, Model, Resource, Unknown

PROVIDER_ARGS = """
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
"""

PRIOR = """
resource "terraform_data" "kept" {
  input = "same"
}
resource "terraform_data" "changed" {
  input = "before"
}
resource "terraform_data" "replaced" {
  triggers_replace = "v1"
}
resource "terraform_data" "deleted" {
  input = "gone"
}
resource "terraform_data" "forgotten" {
  input = "left alone"
}
"""

SECRET = "hunter2-not-a-real-secret"

ROOT = f"""
variable "region" {{
  type    = string
  default = "ca-central-1"
}}
variable "replica_region" {{
  type    = string
  default = "us-east-1"
}}
variable "db_password" {{
  type      = string
  default   = "{SECRET}"
  sensitive = true
}}
provider "aws" {{
  region = var.region
{PROVIDER_ARGS}}}
provider "aws" {{
  alias  = "replica"
  region = var.replica_region
{PROVIDER_ARGS}}}
resource "aws_kms_key" "this" {{
  description = "main"
}}
resource "aws_kms_key" "replica" {{
  provider    = aws.replica
  description = "replica"
}}
module "vpc" {{
  source = "./modules/vpc"
  cidr   = "10.0.0.0/16"
}}
module "app" {{
  source      = "./modules/app"
  kms_key_arn = aws_kms_key.this.arn
}}
module "legacy" {{
  source = "./modules/legacy"
  region = "ca-west-1"
}}
resource "aws_efs_file_system" "this" {{
  encrypted  = true
  kms_key_id = aws_kms_key.this.arn
}}
resource "aws_efs_mount_target" "this" {{
  file_system_id = aws_efs_file_system.this.id
  subnet_id      = module.vpc.private_subnets[0]
}}
resource "aws_efs_file_system" "plain" {{
}}
resource "aws_security_group" "dynamic" {{
  name = "dynamic"
  dynamic "ingress" {{
    for_each = [443]
    content {{
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [aws_kms_key.this.arn]
    }}
  }}
}}
resource "aws_secretsmanager_secret_version" "db" {{
  secret_id     = "db"
  secret_string = var.db_password
}}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {{
  bucket = "b"
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }}
  }}
}}
data "aws_iam_policy_document" "known" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }}
}}
data "aws_iam_policy_document" "computed" {{
  statement {{
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }}
}}
resource "terraform_data" "kept" {{
  input = "same"
}}
resource "terraform_data" "changed" {{
  input = "after"
}}
resource "terraform_data" "replaced" {{
  triggers_replace = "v2"
}}
removed {{
  from = terraform_data.forgotten
  lifecycle {{
    destroy = false
  }}
}}
output "db_password" {{
  value     = var.db_password
  sensitive = true
}}
output "kms_arn" {{
  value = aws_kms_key.this.arn
}}
output "greeting" {{
  value = "hello"
}}
"""

MODULES = {
    "vpc": """
variable "cidr" {
  type = string
}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "private_subnets" {
  value = aws_subnet.private[*].id
}
""",
    "app": """
variable "kms_key_arn" {
  type = string
}
module "logs" {
  source = "../logs"
  kms    = var.kms_key_arn
}
""",
    "logs": """
variable "kms" {
  type = string
}
resource "aws_cloudwatch_log_group" "this" {
  name       = "app"
  kms_key_id = var.kms
}
""",
    "legacy": f"""
variable "region" {{
  type = string
}}
provider "aws" {{
  region = var.region
{PROVIDER_ARGS}}}
resource "aws_sns_topic" "this" {{
  name = "legacy"
}}
""",
}


def _terraform(args: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    done = subprocess.run(
        ["terraform", *args, "-no-color"], cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"terraform {args[0]} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_real_plan(work: Path, env: Mapping[str, str]) -> Path:
    """Apply PRIOR (terraform_data only: no AWS call), then plan ROOT over that state; cached."""
    digest = hashlib.sha256("\0".join([PRIOR, ROOT, *MODULES.values()]).encode()).hexdigest()
    out, stamp = work / "plan.json", work / "plan.sha256"
    if out.exists() and stamp.exists() and stamp.read_text() == digest:
        return out
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("main.tf", "terraform.tfstate", "terraform.tfvars"):
        (work / stale).unlink(missing_ok=True)
    (work / "main.tf").write_text(PRIOR)
    _terraform(["init", "-input=false"], work, env)
    _terraform(["apply", "-auto-approve", "-input=false", "-lock=false"], work, env)
    for name, text in MODULES.items():
        (work / "modules" / name).mkdir(parents=True, exist_ok=True)
        (work / "modules" / name / "main.tf").write_text(text)
    (work / "main.tf").write_text(ROOT)
    (work / "terraform.tfvars").write_text('replica_region = "ca-west-1"\n')
    _terraform(["init", "-input=false"], work, env)
    _terraform(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=tfplan"], work, env)
    out.write_text(_terraform(["show", "-json", "tfplan"], work, env))
    stamp.write_text(digest)
    return out


@pytest.fixture(scope="session")
def real_plan(repo_root: Path, terraform_env: dict[str, str]) -> Path:
    return build_real_plan(repo_root / "build" / "plan-loader-test", terraform_env)


@pytest.fixture(scope="session")
def loaded(real_plan: Path) -> dict[str, Resource]:
    return {r.address: r for r in load_plan(real_plan)}


@pytest.mark.terraform
def test_actions(loaded: dict[str, Resource]) -> None:
    actions = {a: r.action for a, r in loaded.items() if r.type == "terraform_data"}
    assert actions == {
        "terraform_data.kept": "no-op",
        "terraform_data.changed": "update",
        "terraform_data.replaced": "replace",
        "terraform_data.deleted": "delete",
        "terraform_data.forgotten": "forget",
    }
    assert loaded["aws_kms_key.this"].action == "create"
    assert loaded["data.aws_iam_policy_document.computed"].action == "read"


@pytest.mark.terraform
def test_deleted_and_forgotten_keep_before_values_but_are_not_judged(loaded: dict[str, Resource]) -> None:
    assert loaded["terraform_data.deleted"].values["input"] == "gone"
    assert loaded["terraform_data.forgotten"].values["input"] == "left alone"
    assert loaded["terraform_data.kept"].values["input"] == "same"
    assert loaded["terraform_data.changed"].values["input"] == "after"
    kept = {r.address for r in judged(tuple(loaded.values()))}
    assert "terraform_data.deleted" not in kept and "terraform_data.forgotten" not in kept
    assert {"terraform_data.kept", "terraform_data.replaced"} <= kept


@pytest.mark.terraform
def test_after_unknown_carries_references(loaded: dict[str, Resource]) -> None:
    efs = loaded["aws_efs_file_system.this"]
    assert efs.values["encrypted"] is True
    assert efs.values["kms_key_id"] == Unknown(("aws_kms_key.this",), "known after apply")
    assert "kms_key_id" in efs.unknown_paths
    assert efs.values["arn"] == Unknown((), "known after apply")
    sse = loaded["aws_s3_bucket_server_side_encryption_configuration.b"]
    default = sse.values["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "aws:kms"
    assert default["kms_master_key_id"].refs == ("aws_kms_key.this",)
    statement = loaded["data.aws_iam_policy_document.computed"].values["statement"][0]
    assert statement["resources"][0].refs == ("aws_kms_key.this",)


@pytest.mark.terraform
def test_arguments_left_to_the_provider_are_unset_like_in_hcl(loaded: dict[str, Resource]) -> None:
    plain = loaded["aws_efs_file_system.plain"]
    assert plain.values["encrypted"] is None and plain.values["kms_key_id"] is None
    assert plain.values["tags_all"] is None and plain.values["throughput_mode"] == "bursting"
    assert isinstance(plain.values["arn"], Unknown) and isinstance(plain.values["id"], Unknown)
    # A dynamic block is missing from the configuration section: what it sets stays unknown.
    group = loaded["aws_security_group.dynamic"]
    ingress = group.values["ingress"]
    assert ingress[0]["from_port"] == 443 and isinstance(ingress[0]["cidr_blocks"], Unknown)
    assert group.values["egress"] is None  # not written: the provider's default


@pytest.mark.terraform
def test_references_through_module_outputs_and_inputs(loaded: dict[str, Resource]) -> None:
    subnet = loaded["aws_efs_mount_target.this"].values["subnet_id"]
    assert subnet.refs == ("module.vpc.aws_subnet.private",)
    model = Model(tuple(loaded.values()))
    assert {r.address for r in model.resolve(subnet.refs[0])} == {
        "module.vpc.aws_subnet.private[0]",
        "module.vpc.aws_subnet.private[1]",
    }
    group = loaded["module.app.module.logs.aws_cloudwatch_log_group.this"]
    assert group.values["kms_key_id"].refs == ("aws_kms_key.this",)
    assert loaded["module.vpc.aws_subnet.private[0]"].values["vpc_id"].refs == ("module.vpc.aws_vpc.this",)


@pytest.mark.terraform
def test_providers_and_regions(loaded: dict[str, Resource]) -> None:
    providers = {a: r for a, r in loaded.items() if r.mode == "provider"}
    assert set(providers) == {"provider.aws", "provider.aws.replica", "module.legacy.provider.aws"}
    assert providers["provider.aws"].region == "ca-central-1"  # variable default
    assert providers["provider.aws.replica"].region == "ca-west-1"  # terraform.tfvars beats the default
    assert providers["provider.aws.replica"].values["alias"] == "replica"
    assert providers["module.legacy.provider.aws"].region == "ca-west-1"  # module argument
    assert providers["provider.aws"].type == "provider" and providers["provider.aws"].name == "aws"
    assert loaded["aws_kms_key.replica"].provider == "provider.aws.replica"
    assert loaded["aws_kms_key.replica"].region == "ca-west-1"
    assert loaded["module.legacy.aws_sns_topic.this"].provider == "module.legacy.provider.aws"
    # Inherited implicitly through a module that uses no AWS resource itself.
    group = loaded["module.app.module.logs.aws_cloudwatch_log_group.this"]
    assert (group.provider, group.region) == ("provider.aws", "ca-central-1")


@pytest.mark.terraform
def test_provider_credentials_are_redacted(loaded: dict[str, Resource]) -> None:
    provider = loaded["provider.aws"]
    assert provider.values["secret_key"] == REDACTED and "secret_key" in provider.sensitive


@pytest.mark.terraform
def test_sensitive_values_are_redacted_everywhere(loaded: dict[str, Resource], real_plan: Path) -> None:
    assert SECRET in real_plan.read_text()  # the plan itself holds it in clear text
    version = loaded["aws_secretsmanager_secret_version.db"]
    assert version.values["secret_string"] == REDACTED and "secret_string" in version.sensitive
    assert version.values["secret_binary"] is None  # null stays null: nothing to hide
    assert loaded["output.db_password"].values == {"value": REDACTED, "sensitive": True}
    assert loaded["var.db_password"].values == {"default": REDACTED, "sensitive": True}
    assert SECRET not in repr(tuple(loaded.values()))


@pytest.mark.terraform
def test_outputs_variables_and_data_sources(loaded: dict[str, Resource]) -> None:
    assert loaded["output.greeting"].values == {"value": "hello", "sensitive": False}
    assert loaded["output.greeting"].type == "terraform_output"
    assert loaded["output.kms_arn"].values["value"].refs == ("aws_kms_key.this",)
    assert loaded["var.region"].values == {
        "default": "ca-central-1",
        "sensitive": False,
        "values": ["ca-central-1"],
    }
    assert loaded["var.region"].type == "terraform_variable"
    assert "module.vpc.var.cidr" in loaded
    known = loaded["data.aws_iam_policy_document.known"]
    assert (
        known.mode == "data" and json.loads(known.values["json"])["Statement"][0]["Action"] == "s3:GetObject"
    )


@pytest.mark.terraform
def test_source_is_the_plan_file(loaded: dict[str, Resource], real_plan: Path) -> None:
    assert {(r.source.file, r.source.line) for r in loaded.values()} == {(str(real_plan), 0)}


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


BAD = [
    ("truncated", '{"format_version": "1.2", "planned_values": {', "invalid JSON at line 1"),
    ("not json", "resource {}", "invalid JSON"),
    ("a list", [1, 2], "not a plan"),
    ("a state file", {"format_version": "1.0", "values": {}}, "no planned_values or resource_changes"),
    ("version 2", {"format_version": "2.0", "planned_values": {}}, "unsupported plan format_version 2.0"),
    ("version 0.1", {"format_version": "0.1", "planned_values": {}}, "unsupported plan format_version 0.1"),
    ("errored", {"format_version": "1.2", "errored": True, "planned_values": {}}, "plan errored"),
    ("bad changes", {"format_version": "1.2", "resource_changes": {}}, "resource_changes is not a list"),
]


@pytest.mark.parametrize(("case", "document", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_plans_are_input_errors_naming_the_file(
    tmp_path: Path, case: str, document: Any, message: str
) -> None:
    path = _write(tmp_path, document)
    with pytest.raises(InputError) as error:
        load_plan(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_binary_missing_directory_and_oversized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "plan.bin"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    for path, message in (
        (binary, "not UTF-8"),
        (tmp_path / "nope.json", "cannot read"),
        (tmp_path, "directory"),
    ):
        with pytest.raises(InputError, match=message):
            load_plan(path)
    monkeypatch.setattr("compliance.loaders.plan.MAX_BYTES", 10)
    with pytest.raises(InputError, match="over the 10-byte limit"):
        load_plan(_write(tmp_path, {"format_version": "1.2", "planned_values": {}}))


def test_planned_values_alone_and_prior_state_for_no_op(tmp_path: Path) -> None:
    """Older or trimmed plans: resources only in planned_values, a no-op without `after`."""
    item = {"address": "module.m.aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q"}
    document = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {"child_modules": [{"resources": [{**item, "values": {"name": "q"}}]}]}
        },
        "resource_changes": [
            {
                **item,
                "address": "aws_sqs_queue.old",
                "name": "old",
                "change": {"actions": ["no-op"], "after": None},
            }
        ],
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [{**item, "address": "aws_sqs_queue.old", "values": {"name": "old"}}]
                }
            }
        },
    }
    loaded = {r.address: r for r in load_plan(_write(tmp_path, document))}
    assert loaded["module.m.aws_sqs_queue.q"].values == {"name": "q"}
    assert loaded["module.m.aws_sqs_queue.q"].module == "module.m"
    assert loaded["aws_sqs_queue.old"].values == {"name": "old"}
    assert loaded["aws_sqs_queue.old"].action == "no-op"
    assert loaded["aws_sqs_queue.old"].region is None  # no provider configuration: unset, never guessed


def test_a_wholly_unknown_object_has_no_known_values(tmp_path: Path) -> None:
    change = {"actions": ["create"], "after": None, "after_unknown": True}
    item = {
        "address": "aws_sqs_queue.q",
        "mode": "managed",
        "type": "aws_sqs_queue",
        "name": "q",
        "change": change,
    }
    (queue,) = (r for r in load_plan(_write(tmp_path, {"format_version": "1.2", "resource_changes": [item]})))
    assert queue.values == {} and queue.action == "create"


@pytest.mark.terraform
def test_plan_findings_point_at_code_when_the_root_is_scanned_too(real_plan: Path) -> None:
    from compliance.scan import scan

    line = ROOT.splitlines().index('resource "aws_efs_file_system" "this" {') + 1
    result = scan(paths=[real_plan.parent], plans=[real_plan])
    efs = [f for f in result.findings if f.resource == "aws_efs_file_system.this" and f.rule_id == "ENC001"]
    assert {f.origin.value for f in efs} == {"hcl", "plan"}
    assert {(Path(f.source.file).name, f.source.line) for f in efs} == {("main.tf", line)}
