"""Policy configuration (compliance.config): discovery upward from the scanned root, --config, the
typed settings reaching rules through the model, and exit 2 naming the file and key on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance import cli
from compliance.config import Config, discover, load
from compliance.model import InputError, Severity, Status
from compliance.rules import RULES
from compliance.scan import scan

RES001 = tuple(r for r in RULES if r.id == "RES001")


def root(tmp_path: Path, region: str) -> Path:
    folder = tmp_path / "repo" / "envs" / "prod"
    folder.mkdir(parents=True)
    (folder / "main.tf").write_text(
        f'provider "aws" {{\n  region = "{region}"\n}}\nresource "aws_sqs_queue" "q" {{\n  name = "q"\n}}\n'
    )
    return folder


def res001(folder: Path, config: Config | None = None) -> Status:
    result = scan([folder], rules=RES001, config=config)
    (finding,) = result.findings
    return finding.status


def test_the_default_policy_allows_only_canada(tmp_path: Path) -> None:
    assert res001(root(tmp_path, "us-east-1")) is Status.FAIL
    assert res001(root(tmp_path / "b", "ca-central-1")) is Status.PASS


def test_a_config_file_found_upward_allows_another_region(tmp_path: Path) -> None:
    folder = root(tmp_path, "us-east-1")
    (tmp_path / "repo" / "compliance.toml").write_text('allowed_regions = ["us-east-1"]\n')
    assert discover(folder) == tmp_path / "repo" / "compliance.toml"
    assert res001(folder) is Status.PASS


def test_a_config_in_pyproject_can_narrow_the_regions(tmp_path: Path) -> None:
    folder = root(tmp_path, "ca-central-1")
    (tmp_path / "repo" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.compliance]\nallowed_regions = ["ca-west-1"]\n'
    )
    assert res001(folder) is Status.FAIL
    (finding,) = scan([folder], rules=RES001).findings
    assert "outside the allowed regions (ca-west-1)" in finding.message


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    folder = root(tmp_path, "us-east-1")
    (tmp_path / "repo" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "compliance.toml").write_text('allowed_regions = ["us-east-1"]\n')
    assert discover(folder) == tmp_path / "compliance.toml"


def test_config_on_the_command_line_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = root(tmp_path, "us-east-1")
    (tmp_path / "repo" / "compliance.toml").write_text('allowed_regions = ["us-east-1"]\n')
    strict = tmp_path / "strict.toml"
    strict.write_text('allowed_regions = ["ca-central-1"]\nrules = ["RES001"]\n')
    assert cli.main(["scan", str(folder), "--config", str(strict)]) == 1
    assert cli.main(["scan", str(folder), "--rule", "RES001"]) == 0
    capsys.readouterr()


def test_severity_overrides_and_rule_selection(tmp_path: Path) -> None:
    config = tmp_path / "compliance.toml"
    config.write_text('rules = ["RES", "ENC0*"]\nskip_rules = ["RES002"]\n[severity]\nRES = "low"\n')
    parsed = load(config)
    result = scan([root(tmp_path, "us-east-1")], config=parsed)
    ids = {rule.id for rule in result.rules}
    assert "RES001" in ids and "ENC001" in ids and "RES002" not in ids and "IAM001" not in ids
    assert {r.severity for r in result.rules if r.family == "RES"} == {Severity.LOW}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('allowed = ["us-east-1"]\n', "allowed: unknown key"),
        ('allowed_regions = ["canada"]\n', "allowed_regions: 'canada' is not an AWS region name"),
        ("allowed_regions = []\n", "allowed_regions: must name at least one region"),
        ('allowed_regions = "ca-central-1"\n', "allowed_regions: must be a list"),
        ('fail_on = "urgent"\n', "fail_on: 'urgent' is not one of"),
        ('[severity]\nENC001 = "huge"\n', "severity.ENC001: 'huge' is not one of"),
        ('[data_buckets]\ntag = "x"\n', "data_buckets.tag: unknown key"),
        (
            '[data_buckets]\nnon_data_tag = "x"\n',
            "data_buckets: non_data_tag and non_data_values go together",
        ),
        ('rules = ["XYZ"]\n', "rule pattern 'XYZ' matches no rule"),
        ("allowed_regions = [\n", "not a readable TOML file"),
    ],
)
def test_bad_configuration_exits_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    folder = root(tmp_path, "ca-central-1")
    config = tmp_path / "repo" / "compliance.toml"
    config.write_text(text)
    assert cli.main(["scan", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {config}") and key in err
    assert len(err.strip().splitlines()) == 1


def test_the_repository_config_states_the_strict_defaults() -> None:
    repo = Path(__file__).resolve().parent.parent
    assert discover(repo / "terraform" / "envs" / "prod") == repo / "pyproject.toml"
    assert load(repo / "pyproject.toml").settings == Config().settings


def test_a_configured_tag_marks_a_bucket_as_holding_no_data(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "main.tf").write_text(
        'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  tags = { DataClass = "public" }\n}\n'
    )
    enc008 = tuple(r for r in RULES if r.id == "ENC008")
    (strict,) = scan([folder], rules=enc008).findings
    assert strict.status is Status.FAIL
    config = tmp_path / "compliance.toml"
    config.write_text('[data_buckets]\nnon_data_tag = "DataClass"\nnon_data_values = ["public"]\n')
    (spared,) = scan([folder], rules=enc008, config=load(config)).findings
    assert spared.status is Status.PASS and "not a data bucket" in spared.message


SEARCH = """
resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_security_group" "search" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 9200
    to_port     = 9200
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_opensearch_domain" "search" {
  domain_name = "s"
  vpc_options {
    security_group_ids = [aws_security_group.search.id]
  }
}
"""


def test_configured_datastore_ports_are_guarded(tmp_path: Path) -> None:
    folder = tmp_path / "search"
    folder.mkdir()
    (folder / "main.tf").write_text(SEARCH)
    net011 = tuple(r for r in RULES if r.id == "NET011")
    assert scan([folder], rules=net011).findings == ()  # 9200 is not a data-store port by default
    config = tmp_path / "compliance.toml"
    config.write_text("[datastore_ports]\nopensearch = [443, 9200]\n")
    (finding,) = scan([folder], rules=net011, config=load(config)).findings
    assert finding.status is Status.FAIL and "9200" in finding.message
    config.write_text('[datastore_ports]\nopensearch = ["443"]\n')
    with pytest.raises(InputError, match=r"datastore_ports\.opensearch: must be a non-empty list"):
        load(config)
