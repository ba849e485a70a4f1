"""Helpers of the backup -> validate -> restore test: the backup and validation containers exactly as the
staging env defines them (the project's HCL loader over terraform/envs/staging), run on this machine.

Only what exists after apply is filled in (the bucket name, the cluster ARN), and what stands for the task's
surroundings: DATA_DIR/SCRATCH_DIR (the mounts), the emulator endpoint, and, for the validation, Neo4j's
address (the test's Neo4j speaks Bolt over TLS with auth on; the task's scratch Neo4j listens on loopback
with auth off, which this machine's launcher does not offer).
"""

from __future__ import annotations

import json
import operator
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from compliance.loaders.hcl import load_hcl
from compliance.model import Unknown
from emulator.moto import FAKE_CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "terraform" / "envs" / "staging"
JOBS = "module.stack.module.neo4j_backup"
BACKUP_TASK = f"{JOBS}.module.backup_task.aws_ecs_task_definition.this"
VALIDATION_TASK = f"{JOBS}.aws_ecs_task_definition.validation"
ALARM = f"{JOBS}.aws_cloudwatch_metric_alarm.validation"
# Known only after apply: the values an applied stack would hand the containers.
AFTER_APPLY = ("BACKUP_BUCKET", "CLUSTER", "SERVICE")


@dataclass(frozen=True)
class Container:
    """A container as ECS would start it: its command line and its environment."""

    argv: tuple[str, ...]
    environment: dict[str, str]


@dataclass(frozen=True)
class Jobs:
    backup: Container
    validate: Container
    alarm: dict[str, Any]


def _container(definitions: Any, name: str, applied: Mapping[str, str]) -> Container:
    if isinstance(definitions, str):
        definitions = json.loads(definitions)
    (container,) = [c for c in definitions if c["name"] == name]
    environment: dict[str, str] = {}
    for item in container["environment"]:
        value = item["value"]
        if isinstance(value, Unknown):
            if item["name"] not in AFTER_APPLY:
                raise ValueError(f"{name}: {item['name']} is unknown before apply: cannot run it here")
            value = applied[item["name"]]
        environment[item["name"]] = str(value)
    return Container((*container["entryPoint"], *container["command"]), environment)


def jobs(applied: Mapping[str, str], env_root: Path = STAGING) -> Jobs:
    """Both containers and the alarm of `env_root`, evaluated from HCL."""
    resources = {r.address: r.values for r in load_hcl([env_root], root=ROOT)}
    return Jobs(
        backup=_container(resources[BACKUP_TASK]["container_definitions"], "backup", applied),
        validate=_container(resources[VALIDATION_TASK]["container_definitions"], "validate", applied),
        alarm=dict(resources[ALARM]),
    )


def environment(workdir: Path, endpoint_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint_url,
        **extra,
    }


def start(container: Container, env: Mapping[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        list(container.argv),
        env={**env, **container.environment, **{k: v for k, v in env.items() if k in OVERRIDES}},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# What the test sets in place of the task definition's own values: the mount, Neo4j's address, its start time.
OVERRIDES = ("SCRATCH_DIR", "NEO4J_URI", "NEO4J_WAIT_SECONDS")


def metric_values(cloudwatch: Any, alarm: Mapping[str, Any], metric: str | None = None) -> list[float]:
    """The datapoints of the alarm's metric (or `metric` in its namespace) in its last period, by the
    alarm's own statistic and dimensions."""
    now = datetime.now(UTC)
    answer = cloudwatch.get_metric_statistics(
        Namespace=alarm["namespace"],
        MetricName=metric or alarm["metric_name"],
        Dimensions=[{"Name": k, "Value": v} for k, v in alarm["dimensions"].items()],
        StartTime=now - timedelta(seconds=int(alarm["period"])),
        EndTime=now + timedelta(minutes=1),
        Period=int(alarm["period"]),
        Statistics=[alarm["statistic"]],
    )
    return [float(point[alarm["statistic"]]) for point in answer["Datapoints"]]


COMPARE: dict[str, Callable[[float, float], bool]] = {
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
    "GreaterThanThreshold": operator.gt,
    "GreaterThanOrEqualToThreshold": operator.ge,
}


def alarm_state(alarm: Mapping[str, Any], datapoints: list[float]) -> str:
    """The state CloudWatch would give the alarm for one period holding `datapoints` (already reduced by
    the alarm's statistic per period): moto stores alarms but never evaluates them, so this applies the
    alarm's own comparison, threshold and missing-data treatment, as read from the HCL."""
    if int(alarm["evaluation_periods"]) != 1:
        raise ValueError("only one-period alarms are evaluated here")
    if not datapoints:
        return {"breaching": "ALARM", "notBreaching": "OK"}.get(
            str(alarm["treat_missing_data"]), "INSUFFICIENT_DATA"
        )
    compare = COMPARE[str(alarm["comparison_operator"])]
    return "ALARM" if any(compare(value, float(alarm["threshold"])) for value in datapoints) else "OK"
