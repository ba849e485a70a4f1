"""`make plan`: plan each env against an embedded moto server and write build/plan/<env>.json.

Each env is planned from a copy of terraform/ in a fresh run directory build/emulator/plan-XXXX/<env>/
(concurrent runs, e.g. from tests, never share one) with an override that points the providers at the
emulator (emulator.override), so the envs' own code is untouched. Plan JSON files are replaced
atomically. The server is stopped whatever happens (exceptions, Ctrl-C, SIGTERM); the run directory is
removed after a success and kept after a failure, for its logs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from emulator.moto import FAKE_CREDENTIALS, MotoServer
from emulator.override import write_override
from tools.terraform_check import ENVS, ROOT, TERRAFORM, Step, run, terraform_environment

BUILD = ROOT / "build"
PLAN_DIR = BUILD / "plan"
WORK_DIR = BUILD / "emulator"


class PlanError(RuntimeError):
    """A terraform command failed."""


def copy_tree(destination: Path) -> None:
    """A clean copy of terraform/ without local state or provider caches."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(
        TERRAFORM,
        destination,
        ignore=shutil.ignore_patterns(
            ".terraform", "*.tfstate", "*.tfstate.*", "*.tfplan", "emulator_override.tf"
        ),
    )


def checked(step: Step) -> Step:
    print(f"  {step.seconds:5.1f}s", flush=True)
    if not step.ok:
        raise PlanError(f"{step.name} failed:\n{step.output}")
    return step


def plan_env(name: str, endpoint_url: str, run_dir: Path) -> Path:
    """init + plan + show -json for one env; returns the path of its plan JSON."""
    copy = run_dir / name / "terraform"
    copy_tree(copy)
    show = plan_root(name, copy / "envs" / name, endpoint_url)
    PLAN_DIR.mkdir(parents=True, exist_ok=True)
    output = PLAN_DIR / f"{name}.json"
    partial = PLAN_DIR / f".{name}.json.{os.getpid()}"
    partial.write_text(show + "\n")
    partial.replace(output)  # atomic: a concurrent reader sees the old or the new plan, never half of one
    return output


def plan_root(name: str, root: Path, endpoint_url: str, *, init: bool = True) -> str:
    """(init +) plan + show -json of an env root pointed at the emulator; returns the plan JSON text.

    AWS_ENDPOINT_URL sends any service without an endpoint in the override to the emulator too."""
    write_override(root, endpoint_url)
    env = terraform_environment({**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": endpoint_url})
    if init:
        checked(run(f"{name}: init", ("terraform", "init", "-input=false", "-no-color"), root, env))
    checked(
        run(
            f"{name}: plan",
            ("terraform", "plan", "-input=false", "-no-color", "-lock=false", "-out=plan.tfplan"),
            root,
            env,
        )
    )
    show = checked(
        run(f"{name}: show", ("terraform", "show", "-json", "-no-color", "plan.tfplan"), root, env)
    )
    return show.output


def _raise_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def plan(envs: Sequence[str]) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _raise_on_signal)
    signal.signal(signal.SIGHUP, _raise_on_signal)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="plan-", dir=WORK_DIR))
    try:
        with MotoServer(run_dir) as url:
            print(f"moto server at {url} (log: {(run_dir / 'moto.log').relative_to(ROOT)})", flush=True)
            for name in envs:
                env_started = time.monotonic()
                output = plan_env(name, url, run_dir)
                print(f"{name}: wrote {output.relative_to(ROOT)} in {time.monotonic() - env_started:.1f}s")
    except PlanError as error:
        print(f"plan FAILED: {error}\n(run directory kept: {run_dir.relative_to(ROOT)})", file=sys.stderr)
        return 1
    shutil.rmtree(run_dir, ignore_errors=True)
    print(f"plan: {len(envs)} env(s) in {time.monotonic() - started:.1f}s")
    return 0


def terraform_digest() -> str:
    """sha256 over every file of terraform/ that can change a plan."""
    digest = hashlib.sha256()
    for path in sorted(TERRAFORM.rglob("*")):
        if (
            path.is_file()
            and ".terraform" not in path.parts
            and path.suffix in (".tf", ".tfvars", ".hcl", ".sh", ".py")
        ):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fresh_plans(envs: Sequence[str] = ENVS) -> dict[str, Path]:
    """Plans of the envs made by this terraform/ (re-planned when any of its files changed)."""
    stamp = PLAN_DIR / "terraform.sha256"
    plans = {name: PLAN_DIR / f"{name}.json" for name in envs}
    digest = terraform_digest()
    if not (stamp.exists() and stamp.read_text() == digest and all(p.exists() for p in plans.values())):
        if plan(list(plans)) != 0:
            raise PlanError("make plan failed: see the output above")
        if set(plans) == set(ENVS):
            stamp.write_text(digest)
    return plans


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plan envs against an embedded moto server.")
    parser.add_argument("envs", nargs="*", default=list(ENVS), help="envs to plan (default: staging prod)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.envs) - set(ENVS))
    if unknown:
        print(f"error: unknown env(s): {', '.join(unknown)}; choose from {', '.join(ENVS)}", file=sys.stderr)
        return 2
    return plan(args.envs)


if __name__ == "__main__":
    raise SystemExit(main())
