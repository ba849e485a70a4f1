"""`make terraform-check`: fmt, init + validate of each env, init + test of each module, all offline.

Prints every command it runs and how long it took; exits 1 with the list of failed steps. Modules are
tested two at a time (a `terraform test` holds ~600 MB; the machine has two cores). Each run keeps its
.terraform directories under build/terraform-check/<pid>/ (TF_DATA_DIR), so concurrent runs never
share one.

`python -m tools.terraform_check --rebuild-lambda` rewrites the secret rotation function's package
(terraform/modules/secret_rotation/src/handler.zip) from handler.py, byte for byte reproducibly.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tools.toolchain import ToolchainError, path_with_terraform

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM = ROOT / "terraform"
ENVS = ("staging", "prod")
ROTATION_SRC = TERRAFORM / "modules" / "secret_rotation" / "src"
RUN_DIR = ROOT / "build" / "terraform-check" / str(os.getpid())


@dataclass(frozen=True)
class Step:
    """The outcome of one command."""

    name: str
    command: tuple[str, ...]
    returncode: int
    seconds: float
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def terraform_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every terraform subprocess: the project's CLI config and fake AWS credentials."""
    env = dict(os.environ)
    config = env.get("TF_CLI_CONFIG_FILE", "")
    if not config or not Path(config).exists():
        config = str(ROOT / "build" / "terraform.tfrc")
    if not Path(config).exists():
        raise SystemExit(f"error: {config} is missing; run `make setup` (it renders terraform/cli.tfrc.in)")
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        env.pop(key, None)
    try:
        path = path_with_terraform(env)  # every `terraform` command runs the discovered binary
    except ToolchainError as error:
        raise SystemExit(f"error: {error}") from None
    env.update(
        PATH=path,
        TF_CLI_CONFIG_FILE=config,
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra or {})
    return env


def run(name: str, command: Sequence[str], cwd: Path, env: Mapping[str, str], *, echo: bool = True) -> Step:
    """Run one command, capturing its output; print it first when echo is set."""
    if echo:
        print(
            f"+ ({cwd.relative_to(ROOT) if cwd.is_relative_to(ROOT) else cwd}) {' '.join(command)}",
            flush=True,
        )
    started = time.monotonic()
    completed = subprocess.run(
        list(command), cwd=cwd, env=dict(env), capture_output=True, text=True, check=False
    )
    return Step(
        name=name,
        command=tuple(command),
        returncode=completed.returncode,
        seconds=time.monotonic() - started,
        output=(completed.stdout + completed.stderr).strip(),
    )


def init(cwd: Path, env: Mapping[str, str], name: str, echo: bool = True) -> Step:
    return run(
        f"{name}: init",
        ("terraform", "init", "-backend=false", "-input=false", "-no-color"),
        cwd,
        env,
        echo=echo,
    )


def data_dir(env: Mapping[str, str], name: str) -> dict[str, str]:
    """The environment with a TF_DATA_DIR of this run for one root."""
    return {**env, "TF_DATA_DIR": str(RUN_DIR / name.replace("/", "-"))}


def check_env(env_dir: Path, env: Mapping[str, str]) -> list[Step]:
    name = f"envs/{env_dir.name}"
    env = data_dir(env, name)
    steps = [init(env_dir, env, name)]
    if steps[-1].ok:
        steps.append(run(f"{name}: validate", ("terraform", "validate", "-no-color"), env_dir, env))
    return steps


def test_module(module_dir: Path, env: Mapping[str, str]) -> list[Step]:
    name = f"modules/{module_dir.name}"
    env = data_dir(env, name)
    print(f"+ (terraform/{name}) terraform init -backend=false && terraform test", flush=True)
    steps = [init(module_dir, env, name, echo=False)]
    if steps[-1].ok:
        steps.append(run(f"{name}: test", ("terraform", "test", "-no-color"), module_dir, env, echo=False))
    return steps


def modules() -> list[Path]:
    return sorted(p for p in (TERRAFORM / "modules").iterdir() if (p / "main.tf").exists())


def report(steps: Sequence[Step]) -> None:
    for step in steps:
        status = "ok" if step.ok else f"FAILED ({step.returncode})"
        print(f"  {step.name:<40} {status:<12} {step.seconds:6.1f}s")
        if not step.ok:
            print("    " + step.output.replace("\n", "\n    "))


def check(jobs: int = 2) -> int:
    env = terraform_environment({"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})  # a stray call fails fast
    started = time.monotonic()
    steps = [
        run(
            "fmt", ("terraform", "fmt", "-check", "-recursive", "-diff", "-no-color", "terraform/"), ROOT, env
        )
    ]
    for name in ENVS:
        steps += check_env(TERRAFORM / "envs" / name, env)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for module_steps in pool.map(lambda m: test_module(m, env), modules()):
            steps += module_steps
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    print("terraform-check summary:")
    report(steps)
    failed = [step.name for step in steps if not step.ok]
    print(f"terraform-check: {len(steps)} steps in {time.monotonic() - started:.1f}s")
    if failed:
        print(f"terraform-check FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def build_lambda_zip(source: Path, destination: Path) -> None:
    """Package handler.py reproducibly (fixed timestamp and mode), as no archive provider exists offline."""
    info = zipfile.ZipInfo(source.name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(info, source.read_bytes())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=2, help="modules tested at once (default 2)")
    parser.add_argument("--rebuild-lambda", action="store_true", help="rebuild the rotation function's zip")
    args = parser.parse_args(argv)
    if args.rebuild_lambda:
        build_lambda_zip(ROTATION_SRC / "handler.py", ROTATION_SRC / "handler.zip")
        print(f"wrote {(ROTATION_SRC / 'handler.zip').relative_to(ROOT)}")
        return 0
    return check(max(1, args.jobs))


if __name__ == "__main__":
    raise SystemExit(main())
