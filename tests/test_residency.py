"""compliance.analysis.residency and RES001: Canadian regions, ARNs, the us-east-1 allow-list, tfvars regions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compliance.analysis.residency import ALLOW_LIST, arn_region, destination_region, region_status
from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.model import Model, Origin, Resource, Source, Status, Unknown
from compliance.rules.RES001_provider_region_canada.rule import RULE as RES001

OFFLINE = """
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
"""


def provider(alias: str, region: str | None, module: str = "", **values: Any) -> Resource:
    address = f"{module + '.' if module else ''}provider.aws{'.' + alias if alias else ''}"
    return Resource(
        address=address,
        mode="provider",
        type="provider",
        name="aws",
        module=module,
        provider=address,
        region=region,
        values={**({"alias": alias} if alias else {}), **({"region": region} if region else {}), **values},
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


def managed(
    address: str, uses: str, values: dict[str, Any] | None = None, region: str = "us-east-1"
) -> Resource:
    kind, name = address.split(".")[-2:]
    return Resource(
        address=address,
        mode="managed",
        type=kind,
        name=name,
        module="",
        provider=uses,
        region=region,
        values=values or {},
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


def res001(*resources: Resource) -> dict[str, tuple[Status, str]]:
    return {f.resource: (f.status, f.message) for f in run([RES001], Model(resources))}


@pytest.mark.parametrize(
    ("region", "status"),
    [
        ("ca-central-1", Status.PASS),
        ("ca-west-1", Status.PASS),
        ("us-east-1", Status.FAIL),
        (None, Status.FAIL),
    ],
)
def test_region_status(region: str | None, status: Status) -> None:
    assert region_status(region) is status
    assert region_status(Unknown()) is Status.UNKNOWN


def test_arn_region() -> None:
    assert arn_region("arn:aws:backup:ca-west-1:123456789012:backup-vault:dr") == "ca-west-1"
    assert arn_region("arn:aws:s3:::bucket") is None
    assert isinstance(arn_region("not-an-arn"), Unknown)


def test_destination_region_follows_references_before_arns() -> None:
    vault = managed("aws_backup_vault.dr", "provider.aws.calgary", region="ca-west-1")
    model = Model((vault,))
    assert destination_region(Unknown(refs=(vault.address,)), model, "aws_backup_vault")[0] == "ca-west-1"
    region, _ = destination_region("arn:aws:backup:us-east-2:1:backup-vault:x", model, "aws_backup_vault")
    assert region == "us-east-2"


def test_every_allow_list_entry_gives_its_reason() -> None:
    assert all(entry.types and len(entry.reason) > 40 for entry in ALLOW_LIST)


def cloudfront_stack(uses: str) -> tuple[Resource, ...]:
    cert = managed("aws_acm_certificate.edge", uses)
    validation = managed(
        "aws_acm_certificate_validation.edge", uses, {"certificate_arn": Unknown(refs=(cert.address,))}
    )
    distribution = managed(
        "aws_cloudfront_distribution.cdn",
        "provider.aws",
        {"viewer_certificate": [{"acm_certificate_arn": Unknown(refs=(validation.address,))}]},
        region="ca-central-1",
    )
    return cert, validation, distribution


def test_aliased_us_east_1_for_cloudfront_certificates_is_an_allowed_exception() -> None:
    found = res001(provider("edge", "us-east-1"), *cloudfront_stack("provider.aws.edge"))
    status, message = found["provider.aws.edge"]
    assert status is Status.PASS and message.startswith("allowed exception:")


def test_the_default_provider_is_never_excepted() -> None:
    found = res001(provider("", "us-east-1"), *cloudfront_stack("provider.aws"))
    assert found["provider.aws"][0] is Status.FAIL


def test_an_unused_us_east_1_alias_fails() -> None:
    assert res001(provider("edge", "us-east-1"))["provider.aws.edge"][0] is Status.FAIL


def test_a_certificate_no_distribution_uses_is_not_excepted() -> None:
    found = res001(provider("edge", "us-east-1"), managed("aws_acm_certificate.alb", "provider.aws.edge"))
    assert found["provider.aws.edge"][0] is Status.FAIL


def test_proxy_provider_blocks_in_modules_are_judged_by_their_caller() -> None:
    proxy = provider("edge", None, module="module.cdn")
    assert res001(proxy) == {}


def test_non_aws_providers_are_not_judged() -> None:
    assert res001(replace(provider("", None), name="google")) == {}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_region_from_tfvars_overrides_the_variable_default(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "main.tf": 'variable "region" {\n  type    = string\n  default = "ca-central-1"\n}\n\n'
            'provider "aws" {\n  region = var.region\n' + OFFLINE + "}\n",
            "terraform.tfvars": 'region = "us-east-2"\n',
        },
    )
    found = {f.resource: f.status for f in run([RES001], Model(load_hcl([root])))}
    assert found == {"provider.aws": Status.FAIL}


def test_region_from_a_var_file(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "main.tf": 'variable "region" {\n  type = string\n}\n\nprovider "aws" {\n  region = var.region\n'
            + OFFLINE
            + "}\n"
        },
    )
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text('region = "ca-west-1"\n')
    without = {f.resource: f.status for f in run([RES001], Model(load_hcl([root])))}
    assert without == {"provider.aws": Status.UNKNOWN}
    found = {f.resource: f.status for f in run([RES001], Model(load_hcl([root], var_files=[var_file])))}
    assert found == {"provider.aws": Status.PASS}


def test_a_module_given_the_us_east_1_alias_through_providers(tmp_path: Path) -> None:
    """Resources of a module called with `providers = { aws = aws.us_east_1 }` count as that alias's users."""
    (tmp_path / "modules" / "edge").mkdir(parents=True)
    write(
        tmp_path,
        {
            "main.tf": 'provider "aws" {\n  region = "ca-central-1"\n' + OFFLINE + "}\n\n"
            'provider "aws" {\n  alias  = "us_east_1"\n  region = "us-east-1"\n' + OFFLINE + "}\n\n"
            'module "edge" {\n  source    = "./modules/edge"\n  providers = { aws = aws.us_east_1 }\n}\n\n'
            'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n'
            "  viewer_certificate {\n    acm_certificate_arn = module.edge.arn\n  }\n}\n",
        },
    )
    edge = tmp_path / "modules" / "edge"
    certificate = (
        'resource "aws_acm_certificate" "this" {\n  domain_name       = "notes.example.ca"\n'
        '  validation_method = "DNS"\n}\n\noutput "arn" {\n  value = aws_acm_certificate.this.arn\n}\n'
    )
    write(edge, {"main.tf": certificate})
    found = {f.resource: f.status for f in run([RES001], Model(load_hcl([tmp_path], root=tmp_path)))}
    assert found == {"provider.aws": Status.PASS, "provider.aws.us_east_1": Status.PASS}
    write(edge, {"main.tf": certificate + 'resource "aws_s3_bucket" "logs" {\n  bucket = "edge-logs"\n}\n'})
    found = {f.resource: f.status for f in run([RES001], Model(load_hcl([tmp_path], root=tmp_path)))}
    assert found["provider.aws.us_east_1"] is Status.FAIL
