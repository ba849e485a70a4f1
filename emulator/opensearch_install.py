"""The OpenSearch node's installation: resolved from Maven Central by emulator/opensearch/pom.xml, cached.

The first call runs the pinned Maven build, unpacks the integ-test-zip, assembles the lang-painless module
(published as jars only) and installs the k-NN and security plugins offline with `opensearch-plugin
install --batch file://...`. The result is kept under build/opensearch/ keyed by a hash of the pom and this
file, so later starts only copy its config folder. A lock file keeps concurrent first starts apart.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree as ET

from emulator.moto import EmulatorError

HERE = Path(__file__).resolve().parent / "opensearch"
POM = HERE / "pom.xml"
PAINLESS_POLICY = HERE / "lang-painless.policy"
MAVEN_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def pom_property(name: str, pom: Path = POM) -> str:
    """A <properties> value of the pom (the one place the OpenSearch version is written)."""
    found = ET.parse(pom).getroot().find(f"m:properties/m:{name}", MAVEN_NS)
    if found is None or not found.text:
        raise EmulatorError(f"{pom} has no <{name}> property")
    return found.text.strip()


def opensearch_version() -> str:
    return pom_property("opensearch.version")


def java_home() -> Path:
    """OPENSEARCH_JAVA_HOME, else JAVA_HOME, else the JDK of `java` on PATH (Java 17 on our machines)."""
    for variable in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        value = os.environ.get(variable)
        if value:
            return Path(value)
    java = shutil.which("java")
    if java is None:
        raise EmulatorError("no Java found (set JAVA_HOME or put java on PATH): OpenSearch needs Java 11-21")
    return Path(java).resolve().parent.parent


def _cache_key() -> str:
    digest = hashlib.sha256()
    for source in (POM, PAINLESS_POLICY, Path(__file__)):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        raise EmulatorError(f"{what} failed (exit {done.returncode}):\n" + "\n".join(output[-40:]))


def _resolve(out: Path, say: Callable[[str], None]) -> None:
    """The pinned Maven build: the zips into out/zips, lang-painless's jars into out/lang-painless."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EmulatorError("mvn not found: OpenSearch is resolved from Maven Central by Maven")
    say(f"resolving OpenSearch {opensearch_version()} from Maven Central (emulator/opensearch/pom.xml)")
    _run([mvn, "-q", "-B", "-f", str(POM), "package", f"-Dopensearch.out={out}"], "mvn package")


def _unzip(archive: Path, target: Path) -> None:
    """Unpack keeping the executable bits (zipfile drops them)."""
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.infolist():
            zipped.extract(member, target)
            mode = member.external_attr >> 16
            if mode & stat.S_IXUSR:
                extracted = target / member.filename
                extracted.chmod(extracted.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _assemble_painless(jars: Path, module: Path, version: str) -> None:
    """modules/lang-painless as the full distribution has it: the jars, a descriptor, its security policy."""
    module.mkdir(parents=True)
    for jar in sorted(jars.glob("*.jar")):
        shutil.copy2(jar, module / jar.name)
    shutil.copy2(PAINLESS_POLICY, module / "plugin-security.policy")
    (module / "plugin-descriptor.properties").write_text(
        "description=An easy, safe and fast scripting language for OpenSearch\n"
        f"version={version}\n"
        "name=lang-painless\n"
        "classname=org.opensearch.painless.PainlessPlugin\n"
        "java.version=11\n"
        f"opensearch.version={version}\n"
        "extended.plugins=\n"
        "has.native.controller=false\n"
    )


def install(base_dir: Path, say: Callable[[str], None]) -> Path:
    """OPENSEARCH_HOME of a ready installation under base_dir/opensearch/, made on first use."""
    version = opensearch_version()
    root = base_dir.resolve() / "opensearch"
    home = root / f"install-{_cache_key()}" / f"opensearch-{version}"
    ready = home / ".installed"
    with _locked(root / "install.lock"):
        if ready.exists():
            return home
        staging = home.parent.with_name(home.parent.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(home.parent, ignore_errors=True)
        _resolve(staging / "artifacts", say)
        zips = staging / "artifacts" / "zips"
        _unzip(zips / "opensearch.zip", staging)
        staged_home = staging / f"opensearch-{version}"
        _assemble_painless(
            staging / "artifacts" / "lang-painless", staged_home / "modules" / "lang-painless", version
        )
        env = {
            **os.environ,
            "OPENSEARCH_JAVA_HOME": str(java_home()),
            "OPENSEARCH_PATH_CONF": str(staged_home / "config"),
        }
        for plugin in ("opensearch-knn", "opensearch-security"):
            say(f"installing the {plugin} plugin (offline, from the Maven artifact)")
            _run(
                [
                    str(staged_home / "bin" / "opensearch-plugin"),
                    "install",
                    "--batch",
                    (zips / f"{plugin}.zip").as_uri(),
                ],
                f"opensearch-plugin install {plugin}",
                env,
            )
        shutil.rmtree(staging / "artifacts")
        (staged_home / ".installed").write_text(version + "\n")
        staging.rename(home.parent)
        for stale in root.glob("install-*"):
            if stale != home.parent:
                shutil.rmtree(stale, ignore_errors=True)
    return home
