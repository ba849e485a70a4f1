"""The Neo4j server's jars, resolved once from Maven Central by the pinned build in emulator/neo4j-server/pom.xml.

`ensure_jars()` runs `mvn package` into build/neo4j/home (lib/ for the server, plugins/ for APOC core) the
first time and whenever pom.xml changes (a stamp holds its sha256); later starts reuse the jars at once.
Maven keeps its downloads in ~/.m2, so a rebuild after `make clean` does not download again.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from emulator.moto import EmulatorError

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "emulator" / "neo4j-server" / "pom.xml"
HOME = ROOT / "build" / "neo4j" / "home"


class Neo4jError(EmulatorError):
    """Neo4j could not be built, started or reached."""


def _digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def ensure_jars(say: Callable[[str], None], home: Path = HOME) -> Path:
    """build/neo4j/home with lib/ and plugins/ matching pom.xml, running Maven if they do not yet."""
    home.mkdir(parents=True, exist_ok=True)
    stamp = home / ".pom-sha256"
    with (home.parent / ".jars.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time (the tests and `make services` may race)
        digest = _digest()
        if stamp.exists() and stamp.read_text() == digest and any((home / "plugins").glob("apoc-*.jar")):
            return home
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jError("mvn not found on PATH: install Maven (apt-get install maven)")
        say(
            "resolving Neo4j and APOC from Maven Central (emulator/neo4j-server/pom.xml); the first time takes ~1 min"
        )
        stamp.unlink(missing_ok=True)
        for folder in ("lib", "plugins"):
            shutil.rmtree(home / folder, ignore_errors=True)
        log = home.parent / "maven.log"
        with log.open("wb") as output:
            done = subprocess.run(
                [mvn, "-B", "-f", str(POM), "package", f"-Dneo4j.home={home}"],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "MAVEN_OPTS": os.environ.get("MAVEN_OPTS", "-Xmx512m")},
                check=False,
            )
        if done.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
            raise Neo4jError(f"mvn package failed with {done.returncode} (log: {log}):\n{tail}")
        stamp.write_text(digest)
    return home


def java_command() -> str:
    """`java` from JAVA_HOME if set, else from PATH (Neo4j 5.15 runs on Java 17 or 21)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise Neo4jError(
            "java not found: install a Java 17 runtime (apt-get install openjdk-17-jre-headless)"
        )
    return found
