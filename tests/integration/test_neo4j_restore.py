"""The Neo4j backup restore end to end with real store files.

Real Neo4j writes a graph and stops; its data directory becomes the backup archive (tar.gz) in the backup
bucket on moto's S3, under the staging env's bucket and key; the restore task's own command (the module's
restore_task.sh, as the staging task definition runs it) fills an empty folder standing for the EFS volume;
Neo4j starts on that folder and the graph is read back. Then what must never happen: a new backup version
replacing live data without force, and a failed restore (corrupt archive, not a store, missing version)
touching the volume.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from compliance.loaders.live import Clients
from emulator.moto import MotoServer
from emulator.neo4j import Neo4jServer, start
from tests.integration.restore import SCRIPT
from tests.integration.restore_volume import (
    RestoreTask,
    create_backup_bucket,
    data_archive,
    not_a_data_directory,
    restore_task,
    run_task,
    snapshot,
    upload,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
INSTANCES = ROOT / "build" / "neo4j" / "restore-tests"
SEEDED = {"note-1", "note-2", "note-3"}
REFUSED = 3  # restore_task.sh: the volume holds data and the restore is not forced
BAD_ARCHIVE = 4  # restore_task.sh: the archive could not be unpacked or holds no store


@dataclass
class Backup:
    """The seeded backup in moto's S3 and what is needed to restore it and log in afterwards."""

    task: RestoreTask
    endpoint_url: str
    s3: Any
    version: str
    archive: bytes
    password: str


def write_notes(server: Neo4jServer, ids: set[str]) -> None:
    with server.driver() as driver:
        driver.execute_query("UNWIND $ids AS id MERGE (:Note {id: id})", ids=sorted(ids))


def note_ids(server: Neo4jServer) -> set[str]:
    with server.driver() as driver:
        records, _, _ = driver.execute_query("MATCH (n:Note) RETURN n.id AS id")
    return {record["id"] for record in records}


def neo4j_on(volume: Path, password: str) -> Neo4jServer:
    """Neo4j on a restored volume, with the password stored in that volume's system database."""
    try:
        return start(INSTANCES, lambda _: None, data_dir=volume, password=password)
    except Exception as error:
        pytest.fail(f"Neo4j could not start on {volume}: {error}", pytrace=False)


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backup]:
    """A graph written by real Neo4j, archived after a clean stop, uploaded as the staging backup."""
    work = tmp_path_factory.mktemp("restore")
    task = restore_task()
    source = work / "source-data"
    try:
        server = start(INSTANCES, lambda _: None, data_dir=source)
    except Exception as error:
        pytest.fail(f"Neo4j could not start: {error}", pytrace=False)
    try:
        write_notes(server, SEEDED)
    finally:
        server.stop()
    archive = data_archive(source)
    with MotoServer(work / "moto") as endpoint_url:
        aws = Clients("ca-central-1", endpoint_url)
        s3 = aws("s3")
        create_backup_bucket(s3, aws("kms"), task.bucket)
        version = upload(s3, task.bucket, task.key, archive)
        yield Backup(task, endpoint_url, s3, version, archive, server.password)


def restored_volume(backup: Backup, tmp_path: Path) -> Path:
    volume = tmp_path / "efs"
    volume.mkdir()
    done = run_task(backup.task, volume, backup.endpoint_url, backup.version)
    assert done.returncode == 0, f"restore failed ({done.returncode}):\n{done.stdout}{done.stderr}"
    return volume


def test_the_task_runs_the_modules_restore_script_on_its_volume(backup: Backup) -> None:
    assert backup.task.argv == ("/bin/sh", "-c", SCRIPT.read_text())
    assert backup.task.mount_path == "/data"
    assert backup.task.key == "neo4j-data-volume.tar.gz"
    assert backup.task.bucket == "notegen-staging-backups-111122223333"


def test_backup_restores_into_an_empty_volume_and_neo4j_reads_it(backup: Backup, tmp_path: Path) -> None:
    volume = restored_volume(backup, tmp_path)
    assert (volume / "databases" / "neo4j").is_dir() and (volume / "transactions" / "neo4j").is_dir()
    assert (volume / ".restored-from-backup").read_text() == f"{backup.task.key}@{backup.version}"
    server = neo4j_on(volume, backup.password)
    try:
        assert note_ids(server) == SEEDED
    finally:
        server.stop()
    assert volume.is_dir() and (volume / "databases").is_dir(), "the volume is the caller's: kept"
    again = run_task(backup.task, volume, backup.endpoint_url, backup.version)
    assert again.returncode == 0 and "already restored" in again.stdout


def test_a_new_backup_version_does_not_replace_live_data(backup: Backup, tmp_path: Path) -> None:
    volume = restored_volume(backup, tmp_path)
    newer = upload(backup.s3, backup.task.bucket, backup.task.key, backup.archive)
    assert newer != backup.version
    server = neo4j_on(volume, backup.password)
    try:
        write_notes(server, {"live-note"})
        refused = run_task(backup.task, volume, backup.endpoint_url, newer)
        assert refused.returncode == REFUSED, refused.stdout + refused.stderr
        assert "already holds data" in refused.stderr and "restore.force" in refused.stderr
        assert note_ids(server) == {*SEEDED, "live-note"}
    finally:
        server.stop()
    assert (volume / ".restored-from-backup").read_text().endswith(f"@{backup.version}")

    # Forced (Neo4j stopped, as run_restore.sh does first): the backup replaces the live data.
    forced = run_task(backup.task, volume, backup.endpoint_url, newer, force=True)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    server = neo4j_on(volume, backup.password)
    try:
        assert note_ids(server) == SEEDED
    finally:
        server.stop()


FAILURES = {
    "corrupt-archive": b"\x1f\x8b\x08\x00 truncated, not gzip data",
    "no-store-inside": not_a_data_directory(),
    "missing-version": None,  # a version that does not exist: the download fails
}


def test_a_failed_restore_leaves_the_old_data_intact(backup: Backup, tmp_path: Path) -> None:
    """Forced restores that fail, each on the same live volume: it is left byte for byte as it was."""
    volume = restored_volume(backup, tmp_path)
    server = neo4j_on(volume, backup.password)
    try:
        write_notes(server, {"live-note"})
    finally:
        server.stop()
    before = snapshot(volume)
    for case, body in FAILURES.items():
        version = (
            "no-such-version"
            if body is None
            else upload(backup.s3, backup.task.bucket, backup.task.key, body)
        )
        failed = run_task(backup.task, volume, backup.endpoint_url, version, force=True)
        assert failed.returncode != 0, f"{case}: {failed.stdout}"
        if body is not None:
            assert failed.returncode == BAD_ARCHIVE, f"{case}: {failed.stdout}{failed.stderr}"
            assert "left as it was" in failed.stderr, case
        assert snapshot(volume) == before, f"{case}: the volume changed"
        assert not {".restore-staging", ".restore-previous"} & {p.name for p in volume.iterdir()}, case
        assert not list(tmp_path.glob("neo4j-backup.*")), f"{case}: the downloaded archive was left behind"
    server = neo4j_on(volume, backup.password)
    try:
        assert note_ids(server) == {*SEEDED, "live-note"}
    finally:
        server.stop()
