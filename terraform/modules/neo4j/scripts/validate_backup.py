"""Backup validation: restore the latest Neo4j archive onto scratch storage, check it, report the result.

Runs in the validation task's `validate` container (the API image: Python with boto3 and the neo4j driver,
started as `python -c <this file>`), next to a `restored-neo4j` container that starts Neo4j on the restored copy once
SCRATCH_DIR/ready exists (SCRATCH_DIR/failed: nothing to start). Steps: download s3://BACKUP_BUCKET/BACKUP_KEY
(its current version), refuse one older than BACKUP_MAX_AGE_HOURS, unpack it (no links or paths out of the
folder) into SCRATCH_DIR/data and require a store (databases/), wait up to NEO4J_WAIT_SECONDS for Bolt at
NEO4J_URI (NEO4J_USER/NEO4J_PASSWORD when auth is on), then check: nodes and relationships above zero, every
index and constraint ONLINE. ValidationSucceeded 1 or 0 (namespace METRIC_NAMESPACE, dimension
Env=METRIC_ENV) is published whatever happened. Exit 0 valid, 1 invalid, 2 bad input.
"""

from __future__ import annotations

import os
import shutil
import sys
import tarfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]  # no stubs installed
import neo4j

REQUIRED = ("BACKUP_BUCKET", "BACKUP_KEY", "METRIC_NAMESPACE", "METRIC_ENV", "NEO4J_URI")


class InvalidBackupError(Exception):
    """The archive or the store restored from it failed a check: the message says which."""


def fetch(s3: Any, env: Mapping[str, str], scratch: Path) -> str:
    """Download and unpack the current archive into scratch/data; its version id."""
    answer = s3.get_object(Bucket=env["BACKUP_BUCKET"], Key=env["BACKUP_KEY"])
    age = datetime.now(UTC) - answer["LastModified"]
    limit = float(env.get("BACKUP_MAX_AGE_HOURS", "26"))
    if age.total_seconds() > limit * 3600:
        raise InvalidBackupError(
            f"the latest archive is {age.total_seconds() / 3600:.1f} h old (limit {limit:g} h)"
        )
    archive = scratch / "archive.tar.gz"
    with archive.open("wb") as out:
        shutil.copyfileobj(answer["Body"], out)
    data = scratch / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(data, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InvalidBackupError(f"the archive does not unpack: {type(error).__name__}") from error
    finally:
        archive.unlink()
    if not (data / "databases").is_dir():
        raise InvalidBackupError("the archive holds no Neo4j store (no databases/)")
    return str(answer.get("VersionId") or "null")


def connect(env: Mapping[str, str]) -> neo4j.Driver:
    """A driver once Bolt answers, or InvalidBackupError after NEO4J_WAIT_SECONDS (Neo4j did not start on the copy)."""
    user, password = env.get("NEO4J_USER"), env.get("NEO4J_PASSWORD")
    auth = (user, password) if user and password else None
    deadline = time.monotonic() + float(env.get("NEO4J_WAIT_SECONDS", "600"))
    while True:
        driver = neo4j.GraphDatabase.driver(env["NEO4J_URI"], auth=auth)
        try:
            driver.verify_connectivity()
            return driver
        except neo4j.exceptions.AuthError:
            driver.close()
            raise
        except (neo4j.exceptions.ServiceUnavailable, OSError) as error:
            driver.close()
            if time.monotonic() > deadline:
                raise InvalidBackupError("Neo4j did not start on the restored copy") from error
            time.sleep(2)


def check(driver: neo4j.Driver) -> str:
    """The restored graph holds data and its schema is whole; a summary without any property value."""
    nodes = _single(driver, "MATCH (n) RETURN count(n) AS value")
    relationships = _single(driver, "MATCH ()-[r]->() RETURN count(r) AS value")
    if nodes <= 0 or relationships <= 0:
        raise InvalidBackupError(
            f"the restored graph is empty ({nodes} nodes, {relationships} relationships)"
        )
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name, state RETURN name, state")
    broken = sorted(str(r["name"]) for r in records if r["state"] != "ONLINE")
    if broken:
        raise InvalidBackupError(f"indexes not ONLINE: {', '.join(broken)}")
    constraints, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, ownedIndex RETURN name, ownedIndex"
    )
    owned = {str(r["name"]) for r in records}
    orphans = sorted(str(c["name"]) for c in constraints if c["ownedIndex"] and c["ownedIndex"] not in owned)
    if orphans:
        raise InvalidBackupError(f"constraints without their index: {', '.join(orphans)}")
    return f"{nodes} nodes, {relationships} relationships, {len(records)} indexes, {len(constraints)} constraints"


def _single(driver: neo4j.Driver, query: str) -> int:
    records, _, _ = driver.execute_query(query)
    return int(records[0]["value"])


def publish(cloudwatch: Any, env: Mapping[str, str], ok: bool) -> None:
    cloudwatch.put_metric_data(
        Namespace=env["METRIC_NAMESPACE"],
        MetricData=[
            {
                "MetricName": "ValidationSucceeded",
                "Dimensions": [{"Name": "Env", "Value": env["METRIC_ENV"]}],
                "Value": 1.0 if ok else 0.0,
                "Unit": "Count",
            }
        ],
    )


def validate(env: Mapping[str, str], s3: Any, scratch: Path) -> str:
    """Every step; InvalidBackupError (or another error) on the first that fails."""
    try:
        version = fetch(s3, env, scratch)
    except BaseException:
        (scratch / "failed").touch()
        raise
    (scratch / "ready").touch()
    with connect(env) as driver:
        return f"archive version {version}: {check(driver)}"


def main(env: Mapping[str, str]) -> int:
    missing = [name for name in REQUIRED if not env.get(name)]
    scratch = Path(env.get("SCRATCH_DIR", "/scratch"))
    if missing or not scratch.is_dir():
        print(f"bad input: {', '.join(missing) or f'{scratch} is not a directory'}", file=sys.stderr)
        return 2
    endpoint = env.get("AWS_ENDPOINT_URL") or None
    session = boto3.session.Session(region_name=env.get("AWS_REGION"))
    ok = False
    try:
        summary = validate(env, session.client("s3", endpoint_url=endpoint), scratch)
        print(f"backup valid: {summary}")
        ok = True
    except InvalidBackupError as error:
        print(f"backup INVALID: {error}", file=sys.stderr)
    except Exception as error:  # the metric must still say 0: name the failure, never its details
        print(f"backup INVALID: validation failed with {type(error).__name__}", file=sys.stderr)
    try:
        publish(session.client("cloudwatch", endpoint_url=endpoint), env, ok)
    except Exception as error:
        print(f"could not publish ValidationSucceeded: {type(error).__name__}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(os.environ))
