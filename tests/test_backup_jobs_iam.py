"""The backup jobs' IAM as the staging env defines it (HCL loader): each role may do only its job, and the
gate's IAM rules pass on every policy and role of the module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.analysis.policy import Document, read_policy
from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.model import Model, Status, Unknown
from compliance.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
JOBS = "module.stack.module.neo4j_backup"


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(tuple(load_hcl([ROOT / "terraform" / "envs" / "staging"], root=ROOT)))


def _document(model: Model, address: str) -> Document:
    (resource,) = [r for r in model.resources if r.address == address]
    document = read_policy(resource.values["policy"], model)
    assert document is not None and document.complete, address
    return document


def _grants(document: Document) -> dict[str, tuple[set[str], list[Any]]]:
    """Sid -> (actions, resources) of every Allow statement."""
    return {
        s.sid: ({str(a) for a in s.actions}, list(s.resources))
        for s in document.statements
        if s.effect == "Allow"
    }


def _refs(entries: list[Any]) -> set[str]:
    return {ref for entry in entries if isinstance(entry, Unknown) for ref in entry.refs}


@pytest.mark.parametrize("job", ["backup", "validation"])
def test_a_scheduler_role_runs_only_its_task_definition_and_passes_only_its_roles(
    model: Model, job: str
) -> None:
    grants = _grants(_document(model, f'{JOBS}.aws_iam_role_policy.scheduler["{job}"]'))
    assert {sid: actions for sid, (actions, _) in grants.items()} == {
        "RunThisTaskDefinitionOnly": {"ecs:RunTask"},
        "PassItsTwoRolesToEcsTasks": {"iam:PassRole"},
    }
    task = {
        "backup": f"{JOBS}.module.backup_task.aws_ecs_task_definition.this",
        "validation": f"{JOBS}.aws_ecs_task_definition.validation",
    }[job]
    roles = {
        "backup": {
            f"{JOBS}.module.backup_task.aws_iam_role.execution",
            f"{JOBS}.module.backup_task.aws_iam_role.task",
        },
        "validation": {f"{JOBS}.aws_iam_role.validation_execution", f"{JOBS}.aws_iam_role.validation_task"},
    }[job]
    assert _refs(grants["RunThisTaskDefinitionOnly"][1]) == {task}
    assert _refs(grants["PassItsTwoRolesToEcsTasks"][1]) == roles
    assert len(grants["PassItsTwoRolesToEcsTasks"][1]) == 2


def test_the_backup_task_writes_only_the_archive_and_its_dated_copies(model: Model) -> None:
    grants = _grants(_document(model, f'{JOBS}.module.backup_task.aws_iam_role_policy.task["backup"]'))
    assert {sid: actions for sid, (actions, _) in grants.items()} == {
        "WriteTheArchiveAndItsDatedCopies": {"s3:PutObject"},
        "EncryptThroughS3": {"kms:GenerateDataKey", "kms:Decrypt"},
        "StopAndStartNeo4jOnly": {"ecs:DescribeServices", "ecs:UpdateService"},
        "ReadTheDataVolume": {"elasticfilesystem:ClientMount"},
        "PutBackupMetricsOnly": {"cloudwatch:PutMetricData"},
    }
    objects = grants["WriteTheArchiveAndItsDatedCopies"][1]
    assert [entry.parts[-1] for entry in objects] == [
        "/neo4j-data-volume.tar.gz",
        "/neo4j-data-volume/dated/*",
    ]


def test_metrics_are_confined_to_the_backup_namespace(model: Model) -> None:
    for address in (
        f'{JOBS}.module.backup_task.aws_iam_role_policy.task["backup"]',
        f"{JOBS}.aws_iam_role_policy.validation_task",
    ):
        (statement,) = [s for s in _document(model, address).statements if s.sid == "PutBackupMetricsOnly"]
        (condition,) = statement.conditions
        assert (condition.operator, condition.key, condition.values) == (
            "StringEquals",
            "cloudwatch:namespace",
            ("NoteGen/Backup",),
        )


def test_the_validation_task_only_reads_the_archive(model: Model) -> None:
    grants = _grants(_document(model, f"{JOBS}.aws_iam_role_policy.validation_task"))
    assert {sid: actions for sid, (actions, _) in grants.items()} == {
        "ReadTheArchiveOnly": {"s3:GetObject"},
        "DecryptThroughS3": {"kms:Decrypt"},
        "PutBackupMetricsOnly": {"cloudwatch:PutMetricData"},
    }


def test_the_gates_iam_rules_pass_on_the_module(model: Model) -> None:
    iam = [rule for rule in RULES if rule.id.startswith("IAM")]
    findings = [f for f in run(iam, model) if f.resource.startswith(f"{JOBS}.")]
    assert findings, "the IAM rules judged nothing of the module"
    assert {f.status for f in findings} == {Status.PASS}, [
        (f.rule_id, f.resource, f.message) for f in findings if f.status != Status.PASS
    ]
