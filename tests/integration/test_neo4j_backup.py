"""Backup -> validate -> restore with real Neo4j store files, moto's S3, CloudWatch and ECS.

The backup and validation containers run their commands exactly as the staging env defines them (read with
the project's HCL loader, tests/integration/backup_jobs.py). Real Neo4j writes a graph; the backup script
stops "the service" through ECS (moto's, where a service stands for Neo4j: the test stops the real server
itself, as ECS would stop the task) and archives the data directory to the backup bucket's key and a dated
key, publishing BackupSucceeded. The validation script fetches the latest archive onto a scratch folder,
Neo4j starts on it (here the launcher of the test tier, in the task the Neo4j image), the check passes and
ValidationSucceeded=1 is published. The restore task's own script then fills an empty volume from the same
key and Neo4j reads the same graph. A corrupted archive is then caught by the validation, which publishes 0;
moto stores alarms but never evaluates them, so the alarm's own definition (threshold, comparison, period,
statistic, missing data, read from the HCL) is applied to moto's datapoints to show it would be in ALARM.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.live import Clients
from emulator.moto import MotoServer, free_port
from emulator.neo4j import Neo4jServer, start
from tests.integration.backup_jobs import Jobs, alarm_state, environment, jobs, metric_values
from tests.integration.backup_jobs import start as start_container
from tests.integration.restore_volume import (
    create_backup_bucket,
    not_a_data_directory,
    restore_task,
    run_task,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
INSTANCES = ROOT / "build" / "neo4j" / "backup-tests"
SERVICE = "notegen-staging-neo4j"
GRAPH = """
CREATE CONSTRAINT patient_ref IF NOT EXISTS FOR (p:Patient) REQUIRE p.ref IS UNIQUE
"""
SEED = """
UNWIND range(1, 5) AS i
MERGE (p:Patient {ref: 'MRN-' + i})
MERGE (e:Encounter {ref: 'ENC-' + i})
MERGE (p)-[:HAD]->(e)
"""


@dataclass
class World:
    jobs: Jobs
    endpoint_url: str
    aws: Clients
    bucket: str
    password: str
    graph: tuple[set[str], int]
    source: Path


def graph(server: Neo4jServer) -> tuple[set[str], int]:
    """Every node's label and ref, and the number of relationships."""
    with server.driver() as driver:
        nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n)[0] + ':' + n.ref AS node")
        rels, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n")
    return {record["node"] for record in nodes}, int(rels[0]["n"])


def neo4j_on(data: Path, password: str, port: int | None = None) -> Neo4jServer:
    try:
        return start(INSTANCES, lambda _: None, data_dir=data, password=password, port=port)
    except Exception as error:
        pytest.fail(f"Neo4j could not start on {data}: {error}", pytrace=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    work = tmp_path_factory.mktemp("backup")
    source = work / "neo4j-data"
    try:
        server = start(INSTANCES, lambda _: None, data_dir=source)
    except Exception as error:
        pytest.fail(f"Neo4j could not start: {error}", pytrace=False)
    try:
        with server.driver() as driver:
            driver.execute_query(GRAPH)
            driver.execute_query(SEED)
        written = graph(server)
    finally:
        server.stop()  # what ECS does to the task when the backup sets the service's desired count to 0
    bucket = restore_task().bucket
    with MotoServer(work / "moto") as endpoint_url:
        aws = Clients("ca-central-1", endpoint_url)
        create_backup_bucket(aws("s3"), aws("kms"), bucket)
        ecs = aws("ecs")
        cluster = ecs.create_cluster(clusterName="notegen-staging")["cluster"]["clusterArn"]
        ecs.register_task_definition(
            family=SERVICE,
            containerDefinitions=[{"name": "neo4j", "image": "neo4j:5.15-community", "memory": 4096}],
        )
        ecs.create_service(cluster=cluster, serviceName=SERVICE, taskDefinition=SERVICE, desiredCount=1)
        applied = {"BACKUP_BUCKET": bucket, "CLUSTER": cluster, "SERVICE": SERVICE}
        yield World(jobs(applied), endpoint_url, aws, bucket, server.password, written, source)


def run_backup(world: World, data: Path) -> Any:
    env = environment(data.parent, world.endpoint_url, DATA_DIR=str(data))
    process = start_container(world.jobs.backup, env)
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def run_validation(world: World, scratch: Path, *, start_neo4j: bool) -> tuple[int, str]:
    """The validate container's command; Neo4j is started on the scratch copy once it is ready, as the
    task's neo4j container does."""
    scratch.mkdir()
    port = free_port()
    env = environment(
        scratch.parent,
        world.endpoint_url,
        SCRATCH_DIR=str(scratch),
        NEO4J_URI=f"bolt+ssc://127.0.0.1:{port}",
        NEO4J_USER="neo4j",
        NEO4J_PASSWORD=world.password,
        NEO4J_WAIT_SECONDS="180",
    )
    process = start_container(world.jobs.validate, env)
    server = None
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if (scratch / "ready").exists():
                if start_neo4j:
                    server = neo4j_on(scratch / "data", world.password, port)
                break
            if (scratch / "failed").exists():
                break
            time.sleep(0.2)
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
        if server is not None:
            server.stop()
    return process.returncode, out + err


def test_backup_validate_restore_gives_the_same_data(world: World, tmp_path: Path) -> None:
    s3, cloudwatch, ecs = world.aws("s3"), world.aws("cloudwatch"), world.aws("ecs")
    alarm = world.jobs.alarm
    code, out, err = run_backup(world, world.source)
    assert code == 0, out + err
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=world.bucket)["Contents"]}
    dated = {k for k in keys if re.fullmatch(r"neo4j-data-volume/dated/\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", k)}
    assert keys == {"neo4j-data-volume.tar.gz", *dated} and len(dated) == 1, keys
    assert "stopping notegen-staging-neo4j" in out and "given back its 1 task(s)" in out
    service = ecs.describe_services(cluster=world.jobs.backup.environment["CLUSTER"], services=[SERVICE])
    assert service["services"][0]["desiredCount"] == 1, "Neo4j got its task back"
    assert set(metric_values(cloudwatch, alarm, "BackupSucceeded")) == {1.0}

    code, output = run_validation(world, tmp_path / "scratch", start_neo4j=True)
    assert code == 0, output
    assert "backup valid" in output and "10 nodes, 5 relationships" in output
    assert set(metric_values(cloudwatch, alarm)) == {1.0}
    assert alarm_state(alarm, metric_values(cloudwatch, alarm)) == "OK"

    volume = tmp_path / "efs"
    volume.mkdir()
    version = s3.head_object(Bucket=world.bucket, Key="neo4j-data-volume.tar.gz")["VersionId"]
    restored = run_task(restore_task(), volume, world.endpoint_url, version)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    server = neo4j_on(volume, world.password)
    try:
        assert graph(server) == world.graph
    finally:
        server.stop()


def test_a_corrupted_archive_fails_validation_and_the_alarm_would_fire(world: World, tmp_path: Path) -> None:
    s3, cloudwatch = world.aws("s3"), world.aws("cloudwatch")
    alarm = world.jobs.alarm
    archive = s3.get_object(Bucket=world.bucket, Key="neo4j-data-volume.tar.gz")["Body"].read()
    corrupted = archive[: len(archive) // 2]
    cases = {
        "not gzip": b"\x1f\x8b\x08\x00 truncated, not gzip data",
        "half an archive": corrupted,  # an upload cut in half
        "not a store": not_a_data_directory(),
    }
    for case, body in cases.items():
        s3.put_object(Bucket=world.bucket, Key="neo4j-data-volume.tar.gz", Body=body)
        code, output = run_validation(world, tmp_path / case.replace(" ", "-"), start_neo4j=False)
        assert code == 1, f"{case}: {output}"
        assert "backup INVALID" in output, case
    values = metric_values(cloudwatch, alarm)
    assert 0.0 in values, values
    # moto does not evaluate alarms: the alarm as defined in Terraform, applied to moto's datapoints.
    assert alarm_state(alarm, values) == "ALARM"
    assert alarm_state(alarm, []) == "ALARM", "no validation at all within the period is breaching too"


def test_a_failed_backup_reports_0_uploads_nothing_and_gives_neo4j_back(world: World, tmp_path: Path) -> None:
    s3, cloudwatch, ecs = world.aws("s3"), world.aws("cloudwatch"), world.aws("ecs")
    before = s3.list_object_versions(Bucket=world.bucket).get("Versions", [])
    empty = tmp_path / "not-a-store"
    empty.mkdir()
    (empty / "readme.txt").write_text("no databases/ here\n")
    code, out, err = run_backup(world, empty)
    assert code == 6 and "holds no Neo4j store" in err, out + err
    assert s3.list_object_versions(Bucket=world.bucket).get("Versions", []) == before, "nothing uploaded"
    service = ecs.describe_services(cluster=world.jobs.backup.environment["CLUSTER"], services=[SERVICE])
    assert service["services"][0]["desiredCount"] == 1 and "given back its 1 task(s)" in out
    assert 0.0 in metric_values(cloudwatch, world.jobs.alarm, "BackupSucceeded")
