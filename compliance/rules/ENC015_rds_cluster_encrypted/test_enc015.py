"""ENC015: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Status
from compliance.rules.ENC015_rds_cluster_encrypted.rule import RULE as ENC015
from compliance.rules.kit import resource, status


def test_aurora_serverless_v1_is_always_encrypted() -> None:
    cluster = resource("aws_rds_cluster.v1", {"engine_mode": "serverless", "storage_encrypted": False})
    assert status(ENC015, cluster) is Status.PASS
