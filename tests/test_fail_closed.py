"""Fail-closed semantics: unknown never passes, rule bugs fail, empty or errored input is exit 2,
no network during a scan, no secret in any report, no escape from the scanned tree."""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from compliance.engine import run
from compliance.model import (
    UNKNOWN,
    Model,
    Origin,
    Resource,
    Result,
    Rule,
    Severity,
    Source,
    Status,
)
from compliance.rules import RULES
from compliance.scan import scan
from tests.fuzz.runner import assert_clean, run_cli

ROOT = Path(__file__).resolve().parents[1]


def resource(values: Mapping[str, Any], type_: str = "aws_efs_file_system") -> Resource:
    return Resource(
        address=f"{type_}.r",
        mode="managed",
        type=type_,
        name="r",
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values=values,
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


class AllUnknown(Mapping[str, Any]):
    """Attribute values of which every one, whatever its name, is unknown."""

    def __getitem__(self, key: str) -> Any:
        return UNKNOWN

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


# Rules that judge a resource only when something else makes it theirs (a secret-looking name, the
# provider named aws, a Neo4j task, a data store's group) say nothing about an anonymous all-unknown
# resource; each gets an input that is theirs, whose decisive value is unknown.
NAMED: dict[str, tuple[str, str, Mapping[str, Any]]] = {
    "SEC003": ("terraform_output", "db_password", AllUnknown()),
    "SEC004": ("terraform_variable", "db_password", {"type": "string", "default": UNKNOWN}),
    "SEC005": ("provider", "aws", AllUnknown()),
}
IN_CONTEXT = {
    "RES001": """
variable "region" { type = string }
provider "aws" {
  region = var.region
}
resource "aws_s3_bucket" "b" {}
""",
    "NET006": """
variable "subnets" { type = list(string) }
variable "public" { type = bool }
resource "aws_ecs_task_definition" "neo4j" {
  family                = "neo4j"
  container_definitions = jsonencode([{ name = "neo4j", image = "neo4j:5.15-community" }])
}
resource "aws_ecs_service" "r" {
  name            = "neo4j"
  task_definition = aws_ecs_task_definition.neo4j.arn
  network_configuration {
    subnets          = var.subnets
    assign_public_ip = var.public
  }
}
""",
    "NET011": """
variable "ingress" { type = any }
resource "aws_security_group" "r" {
  name = "search"
  dynamic "ingress" {
    for_each = var.ingress
    content {
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = ingress.value.cidrs
    }
  }
}
resource "aws_opensearch_domain" "d" {
  domain_name = "d"
  vpc_options {
    subnet_ids         = ["subnet-1"]
    security_group_ids = [aws_security_group.r.id]
  }
}
""",
}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_an_unknown_value_never_passes(rule: Rule, tmp_path: Path) -> None:
    """An unknown input that matters to the rule is judged unknown or fail: never pass, never nothing."""
    findings = [f for type_ in rule.types for f in run([rule], Model((resource(AllUnknown(), type_),)))]
    if rule.id in NAMED:
        type_, name, values = NAMED[rule.id]
        findings += run([rule], Model((dataclasses.replace(resource(values, type_), name=name),)))
    if rule.id in IN_CONTEXT:
        (tmp_path / ".git").mkdir()
        (tmp_path / "main.tf").write_text(IN_CONTEXT[rule.id])
        findings += scan(paths=[tmp_path], rules=[rule]).findings
    assert findings, f"{rule.id}: no finding, so no unknown input reached the rule (add one above)"
    for finding in findings:
        assert finding.status in (Status.UNKNOWN, Status.FAIL), (rule.id, finding.resource, finding.message)


def test_a_rule_that_raises_becomes_a_failing_finding() -> None:
    def broken(resource: Resource, model: Model) -> Result:
        raise KeyError("boom")

    rule = Rule(
        id="ENC999",
        title="A broken rule",
        severity=Severity.HIGH,
        types=("aws_efs_file_system",),
        rationale="test",
        remediation="test",
        controls={"HIPAA": ("164.312(a)(2)(iv)",)},
        check=broken,
    )
    (finding,) = run([rule], Model((resource({}),)))
    assert finding.status is Status.FAIL
    assert "rule error: KeyError" in finding.message


def test_a_scan_with_no_resources_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    outcome = run_cli("scan", str(tmp_path))
    assert_clean(outcome)
    assert outcome.code == 2


def test_an_errored_plan_is_exit_2(tmp_path: Path) -> None:
    plan = {"format_version": "1.2", "errored": True, "planned_values": {"root_module": {}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    outcome = run_cli("scan", "--plan", str(tmp_path / "plan.json"))
    assert outcome.code == 2 and "plan.json" in outcome.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("binary.tf", b"\x7fELF\x00\x01\x02resource"),
        ("broken.tf", b'resource "aws_s3_bucket" "b" {\n  bucket = \n'),
        ("latin1.tf", 'resource "aws_s3_bucket" "b" { bucket = "caf\xe9" }'.encode("latin-1")),
    ],
)
def test_bad_files_are_exit_2_naming_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    outcome = run_cli("scan", str(tmp_path / name))
    assert_clean(outcome)
    assert outcome.code == 2 and name in outcome.stderr


def test_missing_path_and_empty_directory_are_exit_2(tmp_path: Path) -> None:
    for target in (tmp_path / "nope", tmp_path):
        outcome = run_cli("scan", str(target))
        assert_clean(outcome)
        assert outcome.code == 2


def test_a_module_source_cannot_escape_the_scanned_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "main.tf").write_text('resource "aws_s3_bucket" "x" {}\n')
    root = tmp_path / "repo" / "env"
    root.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (root / "main.tf").write_text('module "m" {\n  source = "../../outside"\n}\n')
    outcome = run_cli("scan", str(root))
    assert_clean(outcome)
    assert outcome.code == 2


def test_symlink_loops_and_cyclic_modules_are_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "main.tf").write_text('resource "aws_s3_bucket" "x" {}\nmodule "b" {\n  source = "../b"\n}\n')
    (b / "main.tf").write_text('module "a" {\n  source = "../a"\n}\n')
    outcome = run_cli("scan", str(a))
    assert_clean(outcome)
    assert outcome.code == 2
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "main.tf").write_text(
        'resource "aws_s3_bucket" "x" {}\nmodule "self" {\n  source = "./again"\n}\n'
    )
    (loop / "again").symlink_to(loop)
    outcome = run_cli("scan", str(loop))
    assert_clean(outcome)
    assert outcome.code == 2


def test_a_scan_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]
    fixture = ROOT / "compliance" / "rules" / "ENC001_efs_encrypted" / "fixtures"
    outcome = run_cli("scan", str(fixture), "--format", "json", "--output", str(tmp_path / "o.json"))
    assert outcome.code in (0, 1), outcome.stderr
    assert attempts == []


SECRET = "s3cr3t-Value-That-Must-Not-Leak-9f8e7d"


def test_sensitive_plan_values_reach_no_report(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": {"db_password": {"value": SECRET}},
        "planned_values": {
            "outputs": {"password": {"sensitive": True, "value": SECRET}},
            "root_module": {
                "resources": [
                    {
                        "address": "aws_secretsmanager_secret_version.v",
                        "mode": "managed",
                        "type": "aws_secretsmanager_secret_version",
                        "name": "v",
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "values": {"secret_string": SECRET, "secret_id": "x"},
                        "sensitive_values": {"secret_string": True},
                    },
                    {
                        "address": "aws_ecs_task_definition.t",
                        "mode": "managed",
                        "type": "aws_ecs_task_definition",
                        "name": "t",
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "values": {
                            "family": "t",
                            "container_definitions": json.dumps(
                                [{"name": "app", "environment": [{"name": "DB_PASSWORD", "value": SECRET}]}]
                            ),
                        },
                        "sensitive_values": {},
                    },
                ]
            },
        },
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "ca-central-1"}}}
            },
            "root_module": {"variables": {"db_password": {"sensitive": True}}},
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    for fmt in ("text", "json", "sarif", "junit", "markdown"):
        out = tmp_path / f"report.{fmt}"
        outcome = run_cli("scan", "--plan", str(path), "--format", fmt, "--output", str(out))
        assert outcome.code == 1, outcome.stderr
        assert SECRET not in out.read_text() + outcome.stdout + outcome.stderr, fmt
