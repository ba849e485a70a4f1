"""EFS file systems of PHI have a scheduled backup and a scheduled job that validates it.

A backup job: an aws_scheduler_schedule whose ECS target runs a task definition that mounts the file system.
A validation job: another schedule whose task definition's task role may read (s3:GetObject) an object the
backup task's role writes (s3:PutObject): it restores what the backup wrote, not the live store. AWS Backup
(BAK001) copies the volume but nothing proves that a copy restores; this rule asks for that proof.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from compliance.analysis.policy import grants, identity_policies
from compliance.analysis.references import companions, references, targets
from compliance.analysis.storage import efs_volumes
from compliance.analysis.values import get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

Job = tuple[Resource, Resource]  # (schedule, task definition)


def _jobs(model: Model) -> tuple[list[Job], bool]:
    """Every (schedule, task definition) pair, and whether a schedule's target could not be resolved."""
    jobs: list[Job] = []
    unresolved = False
    for schedule in model.of_type("aws_scheduler_schedule"):
        arn = get(schedule.values, "target.ecs_parameters.task_definition_arn")
        found = targets(arn, model, "aws_ecs_task_definition")
        jobs += [(schedule, task) for task in found]
        unresolved |= not found and isinstance(arn, Unknown)
    return jobs, unresolved


def _objects(task: Resource, model: Model, action: str) -> tuple[set[Any], bool]:
    """S3 object ARNs the task role may `action` (Unknown entries as (parts, refs)), and whether a policy
    could not be read."""
    found: set[Any] = set()
    doubtful = False
    for role in targets(task.values.get("task_role_arn"), model, "aws_iam_role"):
        attached = [p for p, named in companions(role, model, "aws_iam_role_policy", "role") if named]
        for _, document in [d for p in (role, *attached) for d in identity_policies(p, model)]:
            doubtful |= not document.complete
            for statement in document.statements:
                if statement.effect == "Allow" and grants(statement, action):
                    for entry in statement.resources:
                        found.add((entry.parts, entry.refs) if isinstance(entry, Unknown) else entry)
    return found, doubtful


def _reads(reads: set[Any], writes: set[Any]) -> bool:
    return any(
        r == w or (isinstance(r, str) and isinstance(w, str) and fnmatchcase(r, w))
        for r in reads
        for w in writes
    )


def check(resource: Resource, model: Model) -> Result:
    jobs, doubtful = _jobs(model)
    backups = [
        (schedule, task)
        for schedule, task in jobs
        if any(
            not isinstance(c, Unknown) and references(c.get("file_system_id"), resource, model)
            for _, c in efs_volumes(task)
        )
    ]
    if not backups and doubtful:
        return unknown("a schedule's ECS target is not known before apply: it may run a backup of it")
    if not backups:
        return failed(
            "no scheduled task (aws_scheduler_schedule -> ECS task definition) mounts it: no backup job"
        )
    for schedule, task in backups:
        writes, unsure = _objects(task, model, "s3:PutObject")
        doubtful |= unsure
        for other_schedule, other in jobs:
            if other.address == task.address:
                continue
            reads, unsure = _objects(other, model, "s3:GetObject")
            doubtful |= unsure
            if _reads(reads, writes):
                return passed(
                    f"backup job {schedule.address} ({task.address}); validation job {other_schedule.address} "
                    f"({other.address}) reads what it writes"
                )
    if doubtful:
        return unknown(
            "a validation job may read the backup but a task role's policy is not known before apply"
        )
    return failed(
        f"backup job {backups[0][0].address} has no scheduled validation job: no other scheduled task's role "
        "reads (s3:GetObject) what the backup task writes (s3:PutObject)"
    )


RULE = Rule(
    id="BAK007",
    title="EFS file systems have a scheduled backup and a scheduled validation of it",
    severity=Severity.MEDIUM,
    types=("aws_efs_file_system",),
    rationale=(
        "A backup that was never restored is a hope, not a recovery plan: archives can be empty, truncated or "
        "written from a store that was changing. HIPAA asks for retrievable exact copies and tested restore "
        "procedures; a scheduled job that restores the latest archive apart from the live store and checks it "
        "proves both, every day."
    ),
    remediation="Run the backup as a scheduled task (aws_scheduler_schedule with an ecs_parameters target) that "
    "mounts the file system and writes an S3 archive, and a second schedule whose task role may s3:GetObject "
    "that archive, restores it onto scratch storage and checks it (modules/backup_jobs).",
    controls={
        "HIPAA": ("164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"),
        "PIPEDA": ("4.7.1",),
    },
    check=check,
    help_uri="https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html",
)
