"""One real `terraform plan` over every rule's fixtures, each fixture folder a module named by its rule.

The plan runs offline: fake credentials, skip flags, and AWS_ENDPOINT_URL pointing at a closed port, so a
fixture that needs a remote call fails instead of reaching AWS. The result is cached in build/ by the
sha256 of all fixture files.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping
from pathlib import Path

PROVIDER = """\
provider "aws" {
  region                      = "ca-central-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""


def module_name(rule_id: str) -> str:
    return rule_id.lower()


def fixture_dirs(rules_dir: Path) -> dict[str, Path]:
    """Rule id -> fixture folder, for every rule folder that has .tf fixtures."""
    found: dict[str, Path] = {}
    for folder in sorted(rules_dir.iterdir()):
        fixtures = folder / "fixtures"
        if fixtures.is_dir() and any(fixtures.glob("*.tf")):
            found[folder.name.split("_", 1)[0]] = fixtures
    return found


def _digest(dirs: Mapping[str, Path]) -> str:
    digest = hashlib.sha256(PROVIDER.encode())
    for rule_id, folder in sorted(dirs.items()):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                digest.update(f"{rule_id}/{file.relative_to(folder)}".encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def build_plan(dirs: Mapping[str, Path], work: Path, env: Mapping[str, str]) -> Path:
    """Plan every fixture folder as a module of one root; return the `terraform show -json` file."""
    work.mkdir(parents=True, exist_ok=True)
    digest = _digest(dirs)
    out = work / "plan.json"
    stamp = work / "plan.sha256"
    if out.exists() and stamp.exists() and stamp.read_text() == digest:
        return out
    calls = "".join(
        f'module "{module_name(rule_id)}" {{\n  source = "{folder.resolve()}"\n}}\n\n'
        for rule_id, folder in sorted(dirs.items())
    )
    (work / "main.tf").write_text(PROVIDER + "\n" + calls)
    for args in (
        ["init", "-input=false", "-no-color"],
        ["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=tfplan"],
    ):
        _terraform(args, work, env)
    shown = _terraform(["show", "-json", "tfplan"], work, env)
    out.write_text(shown)
    stamp.write_text(digest)
    return out


def _terraform(args: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    done = subprocess.run(
        ["terraform", *args], cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"terraform {args[0]} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
    return done.stdout
