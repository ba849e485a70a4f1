"""`pip install .` into a fresh venv gives a working `compliance` command: --version, and a scan that
finds a violation from the declared dependencies alone (no requirements.lock install, no editable path).

The source is copied first (pyproject, README, the packages), as a fresh clone would have it, so the
build never sees our .venv. Dependencies come from the warm pip cache, constrained to requirements.lock
so the test also proves the declared ranges admit the versions we pin. About 15 s on 2 cores.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "compliance", "service")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("install")
    clone = base / "clone"
    clone.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, clone / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, "-c", str(ROOT / "requirements.lock"), str(clone)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return venv / "bin" / "compliance"


@pytest.mark.slow
def test_version(installed: Path) -> None:
    done = subprocess.run([str(installed), "--version"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "notegen-compliance 0.1.0"


@pytest.mark.slow
def test_scan_finds_a_violation(installed: Path, tmp_path: Path) -> None:
    root = tmp_path / "env"
    root.mkdir()
    (root / "main.tf").write_text('resource "aws_efs_file_system" "plain" {\n  encrypted = false\n}\n')
    done = subprocess.run(
        [str(installed), "scan", str(root), "--rule", "ENC001"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    assert "ENC001" in done.stdout and "aws_efs_file_system.plain" in done.stdout
