"""What another repository copies from our README and hook definition must work: the GitHub Actions
example passes actionlint with pinned actions, the documented compliance.toml is a valid policy, and the
pre-commit hook's entry is our console script."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from compliance.config import load
from tests.test_workflow import PINNED, _actionlint

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _blocks(language: str) -> list[str]:
    section = README.read_text().split("## Use it in your repository", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


def test_the_workflow_example_passes_actionlint_with_pinned_actions(tmp_path: Path) -> None:
    (workflow,) = [block for block in _blocks("yaml") if "jobs:" in block]
    path = tmp_path / "compliance.yml"
    path.write_text(workflow)
    done = _actionlint(path)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = yaml.safe_load(workflow)["jobs"]["scan"]["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/github-script@") for u in uses)
    assert all(PINNED.match(u) for u in uses)


def test_the_documented_policy_file_is_valid(tmp_path: Path) -> None:
    (example,) = _blocks("toml")
    path = tmp_path / "compliance.toml"
    path.write_text(example)
    config = load(path)
    assert config.settings.non_data_tag == "DataClass" and config.fail_on is not None


def test_the_pre_commit_hook_runs_our_console_script() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts and hook["language"] == "python"
    assert re.search(hook["files"], "envs/prod/main.tf") and not re.search(hook["files"], "app.py")
    (usage,) = [block for block in _blocks("yaml") if "repos:" in block]
    assert yaml.safe_load(usage)["repos"][0]["hooks"][0]["id"] == hook["id"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.about import version
    from compliance.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"notegen-compliance {version()}\n"
