"""`evidence ENV_DIR ... --output-dir DIR`: one auditor bundle per env in DIR/<env>/.

What an env's evidence is: the scan of its Terraform root (HCL, modules followed) and, when
`build/plan/<env>.json` exists (from `make plan`) or `--plan` names one, the scan of that plan too, with
the plan's sha256 in the manifest; plan findings borrow file:line from the HCL. The bundle holds:
index.html, report.pdf, findings.json, results.sarif, junit.xml (the scan's own formats), controls.csv,
checkov.json (when --checkov), manifest.json and, when COMPLIANCE_SIGNING_KEY is set, manifest.sig.

The bundle is written to a temporary sibling folder and swapped in, so a failed run never leaves a
half-written bundle, and a previous bundle's files never linger as "extra" files.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.evidence import checkov, html, manifest, pdf
from compliance.evidence.controls import summarise, to_csv
from compliance.evidence.report import CheckovReport, InputDigest, Report, RunInfo
from compliance.evidence.sign import SIGNATURE_FILE, SIGNING_KEY_ENV, key_id, private_key, sign
from compliance.formats import json_report, junit, sarif
from compliance.frameworks import catalog
from compliance.model import InputError
from compliance.scan import LiveAccount, ScanResult, scan
from compliance.waivers import DEFAULT as DEFAULT_WAIVERS

PLAN_DIR = Path("build/plan")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("envs", nargs="+", type=Path, help="Terraform env roots (terraform/envs/<env>)")
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("reports/evidence"),
        metavar="DIR",
        help="bundles go to DIR/<env>/",
    )
    parser.add_argument(
        "--plan",
        action="append",
        default=[],
        metavar="ENV=PLAN_JSON",
        help=f"plan of an env (default: {PLAN_DIR}/<env>.json when it exists)",
    )
    parser.add_argument("--no-plan", action="store_true", help="HCL only, even when a plan exists")
    parser.add_argument("--waivers", type=Path, default=DEFAULT_WAIVERS, metavar="FILE")
    parser.add_argument("--checkov", action="store_true", help="add checkov's results as a second opinion")
    parser.add_argument(
        "--fail-on-checkov", action="store_true", help="run checkov and exit 1 when it reports a failed check"
    )
    parser.add_argument(
        "--live",
        action="append",
        default=[],
        metavar="ENV[=STATE_JSON]",
        help="add a live section, read-only with the caller's credentials: ENV alone, every object found in "
        "the --region(s) and the account's IAM; ENV=STATE_JSON, the objects of the env's applied state",
    )
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="R",
        help="region to scan live; repeatable (default AWS_REGION); the first is the default of a state's objects",
    )
    parser.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint for --live (an emulator)")


def run(args: argparse.Namespace) -> int:
    plans = _plans(args.envs, args.plan, args.no_plan)
    discovered = {item for item in args.live if "=" not in item}
    states = {name: Path(path) for name, path in (_pair(i, "--live") for i in args.live if "=" in i)}
    account = LiveAccount(tuple(args.region), args.endpoint_url)
    key = _signing_key(os.environ)
    if key is None:
        print(
            f"evidence: {SIGNING_KEY_ENV} is not set: bundles are NOT signed (their reports say so)",
            file=sys.stderr,
        )
    failed_checkov = False
    with pdf.Renderer() as renderer:  # WeasyPrint warms up in its own process while we scan
        for env_dir in args.envs:
            report = write_env(
                env_dir,
                plans.get(env_dir.name),
                args.output_dir,
                args.waivers,
                key,
                args.checkov or args.fail_on_checkov,
                renderer.render,
                states.get(env_dir.name),
                account,
                discover=env_dir.name in discovered,
            )
            failed_checkov = failed_checkov or bool(report.checkov and report.checkov.count("failed"))
            signed = f"signed, key sha256:{report.signature}" if report.signature else "NOT signed"
            print(f"evidence: {args.output_dir / env_dir.name} ({len(report.findings)} findings, {signed})")
    return 1 if args.fail_on_checkov and failed_checkov else 0


def _plans(envs: Sequence[Path], given: Sequence[str], no_plan: bool) -> dict[str, Path]:
    """env name -> plan JSON: --plan ENV=FILE, else build/plan/<env>.json when it exists."""
    if no_plan:
        return {}
    plans = {env.name: PLAN_DIR / f"{env.name}.json" for env in envs}
    plans = {name: path for name, path in plans.items() if path.is_file()}
    for item in given:
        name, path = _pair(item, "--plan")
        plans[name] = Path(path)
    return plans


def _pair(item: str, option: str) -> tuple[str, str]:
    name, sep, path = item.partition("=")
    if not sep or not name or not path:
        raise InputError(f"{option} {item!r}: expected ENV={'PLAN' if option == '--plan' else 'STATE'}_JSON")
    return name, path


def _signing_key(environ: Mapping[str, str]) -> Ed25519PrivateKey | None:
    text = environ.get(SIGNING_KEY_ENV, "")
    return private_key(text) if text.strip() else None


def write_env(
    env_dir: Path,
    plan: Path | None,
    output_dir: Path,
    waivers: Path = DEFAULT_WAIVERS,
    key: Ed25519PrivateKey | None = None,
    with_checkov: bool = False,
    render_pdf: Callable[[str], bytes] = pdf.render_pdf,
    live: Path | None = None,
    account: LiveAccount | None = None,
    discover: bool = False,
) -> Report:
    """Scan one env and write its bundle to output_dir/<env>/; returns what the report shows. With `live`
    (the env's applied state) its objects are described read-only in `account` and judged too; with
    `discover`, every object discovery finds in `account` is."""
    if not env_dir.is_dir():
        raise InputError(f"{env_dir}: env root not found (expected a Terraform root directory)")
    running = checkov.start(checkov.executable(), env_dir) if with_checkov else None
    try:
        result = scan(
            paths=[env_dir],
            plans=[plan] if plan else [],
            waivers=waivers,
            live=[*([live] if live else []), *([None] if discover else [])],
            live_account=account,
        )
    except BaseException:
        checkov.stop(running)
        raise
    report = build_report(env_dir, result)
    if key is not None:
        report = dataclasses.replace(report, signature=key_id(key.public_key()))
    if running is not None:
        report = dataclasses.replace(report, checkov=checkov.finish(running, result.rules, Path.cwd()))
    write(report, result, output_dir / env_dir.name, key, render_pdf)
    return report


def build_report(env_dir: Path, result: ScanResult) -> Report:
    planned = next((i.terraform_version for i in result.inputs if i.terraform_version), "")
    terraform_version, providers = _terraform_versions(env_dir, planned)
    run_info = RunInfo(
        env=env_dir.name,
        generated_at=result.generated_at,
        tool_version=result.version,
        git_commit=_git(env_dir, "rev-parse", "HEAD"),
        git_dirty=_dirty(env_dir),
        inputs=tuple(InputDigest(i.kind, i.path, i.sha256) for i in result.inputs),
        terraform_version=terraform_version,
        providers=providers,
    )
    summary = summarise(catalog(), result.rules, result.findings)
    return Report(run_info, result.rules, result.findings, summary)


def write(
    report: Report,
    result: ScanResult,
    folder: Path,
    key: Ed25519PrivateKey | None,
    render_pdf: Callable[[str], bytes] = pdf.render_pdf,
) -> None:
    """Write every document, then the manifest and its signature; swap the folder in at the end."""
    staging = folder.with_name(f".{folder.name}.partial")
    try:
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
    except OSError as error:  # as every command's --output: an unwritable place is bad input, exit 2
        raise InputError(f"{folder}: cannot write the evidence: {error.strerror or error}") from error
    documents: dict[str, bytes] = {
        "index.html": html.render(report, detail=True).encode(),
        "report.pdf": render_pdf(html.render(report, detail=False)),
        "findings.json": json_report.render(result).encode(),
        "results.sarif": sarif.render(result).encode(),
        "junit.xml": junit.render(result).encode(),
        "controls.csv": to_csv(report.summary).encode(),
    }
    if report.checkov is not None:
        documents["checkov.json"] = checkov_json(report.checkov).encode()
    for name, data in documents.items():
        (staging / name).write_bytes(data)
    extra: dict[str, Any] = {
        "checkov_version": report.checkov.version if report.checkov else None,
        "signature": (
            {"algorithm": "ed25519", "file": SIGNATURE_FILE, "key_sha256": key_id(key.public_key())}
            if key
            else None
        ),
    }
    data = manifest.build(report.run, staging, extra)
    (staging / manifest.MANIFEST_FILE).write_bytes(data)
    if key is not None:
        (staging / SIGNATURE_FILE).write_bytes(sign(data, key))
    _swap(staging, folder)


def _swap(staging: Path, folder: Path) -> None:
    """Replace a previous bundle; refuse to delete a folder that is not one."""
    if folder.exists():
        if any(folder.iterdir()) and not (folder / manifest.MANIFEST_FILE).is_file():
            shutil.rmtree(staging)
            raise InputError(f"{folder}: exists and is not an evidence bundle; refusing to replace it")
        shutil.rmtree(folder)
    staging.rename(folder)


def checkov_json(report: CheckovReport) -> str:
    """checkov's results as the bundle keeps them: labelled, mapped, stable order, no absolute paths."""
    document = {
        "tool": "checkov",
        "note": "checkov's results on the same inputs, a second opinion: they fail nothing",
        "version": report.version,
        "command": list(report.command),
        "error": report.error,
        "summary": {k: report.count(k) for k in ("passed", "failed", "skipped")},
        "results": [
            {**asdict(r), "controls": {k: list(v) for k, v in r.controls.items()}} for r in report.results
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _dirty(cwd: Path) -> bool | None:
    """Whether tracked files differ from the commit (untracked files are not evidence inputs)."""
    status = _git(cwd, "status", "--porcelain", "--untracked-files=no")
    return None if status is None else bool(status)


def _terraform_versions(env_dir: Path, planned: str) -> tuple[str | None, dict[str, str]]:
    """The Terraform version that made the plan (`planned`, carried on the scan input; else the CLI's) and
    the env's locked provider versions (`terraform version -json` reads them from the env's lock file)."""
    cli: Mapping[str, Any] = {}
    try:
        done = subprocess.run(
            ["terraform", f"-chdir={env_dir}", "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},  # no version check over the network
        )
        if done.returncode == 0:
            cli = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        cli = {}
    version = planned or cli.get("terraform_version")
    providers = cli.get("provider_selections") or {}
    return (str(version) if version else None), {str(k): str(v) for k, v in sorted(providers.items())}
