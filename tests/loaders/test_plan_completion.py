"""A plan completed by the HCL of its own root: unknowns filled, known values kept, secrets never copied."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.loaders.hcl import load_hcl
from compliance.loaders.plan import complete, paired
from compliance.model import Origin, Resource, Source, Unknown
from compliance.scan import scan

ROOT = Path(__file__).resolve().parents[2]


def resource(values: dict[str, object], sensitive: frozenset[str] = frozenset()) -> Resource:
    return Resource(
        address="aws_iam_role_policy.p",
        mode="managed",
        type="aws_iam_role_policy",
        name="p",
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values=values,
        source=Source("x.tf", 1),
        origin=Origin.PLAN,
        sensitive=sensitive,
    )


def test_unknowns_take_the_partial_hcl_value_and_known_values_stay() -> None:
    arn = Unknown(refs=("aws_s3_bucket.b",))
    planned = resource({"name": "p", "policy": Unknown(refs=("aws_s3_bucket.b",)), "role": Unknown()})
    written = resource(
        {"name": "other", "policy": {"Statement": [{"Action": "s3:GetObject", "Resource": arn}]}}
    )
    values = complete(planned, written)
    assert values["name"] == "p"
    assert values["policy"] == {"Statement": [{"Action": "s3:GetObject", "Resource": arn}]}
    assert isinstance(values["role"], Unknown)


def test_sensitive_paths_are_never_filled() -> None:
    planned = resource({"secret_string": Unknown()}, sensitive=frozenset({"secret_string"}))
    written = resource({"secret_string": "literal-secret"})
    assert isinstance(complete(planned, written)["secret_string"], Unknown)


def test_a_value_with_unknown_parts_is_not_null(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_kms_key" "k" {}\n'
        'variable "replication" {\n  default = null\n}\n'
        "locals {\n  replication = { key = aws_kms_key.k.arn }\n}\n"
        'resource "aws_iam_role" "r" {\n  count = local.replication == null ? 0 : 1\n  name = "r"\n}\n'
        'resource "aws_iam_role" "none" {\n  count = var.replication == null ? 0 : 1\n  name = "n"\n}\n'
    )
    addresses = {r.address for r in load_hcl([tmp_path])}
    assert "aws_iam_role.r[0]" in addresses
    assert not any(a.startswith("aws_iam_role.none") for a in addresses)


@pytest.mark.terraform
def test_each_env_plan_is_completed_only_by_its_own_root(env_plans: dict[str, Path]) -> None:
    staging, prod = ROOT / "terraform" / "envs" / "staging", ROOT / "terraform" / "envs" / "prod"
    alone = scan(plans=[env_plans["staging"]])
    together = scan(paths=[staging], plans=[env_plans["staging"]])
    plan_findings = [f for f in together.findings if f.origin is Origin.PLAN]
    assert alone.failing, "a plan alone leaves policies built around ARNs unknown"
    assert plan_findings and not [f for f in plan_findings if f.failing]
    from compliance.loaders.plan import load_plan

    prod_plan = load_plan(env_plans["prod"])
    assert paired(prod_plan, [load_hcl([staging])]) is None
    assert paired(prod_plan, [load_hcl([prod])]) is not None
