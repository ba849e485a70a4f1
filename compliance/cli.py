"""`compliance COMMAND ...` (or `python -m compliance`): the scanner's command line.

Exit codes: 0 nothing fails or is unknown (after waivers); 1 violations; 2 usage or bad input, with one
line on stderr naming the file and the problem; 3 an internal error (a bug: one line, never a traceback).

Subcommands are registered in COMMANDS as (name, help, module): the module defines
`add_arguments(parser)` and `run(args) -> int`, and is imported only when its command runs, so a scan
never pays for the imports of evidence or diff. Adding a command is one line here.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from compliance.model import InputError

if TYPE_CHECKING:
    from compliance.config import Config
    from compliance.scan import ScanResult

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("scan", "scan Terraform roots and plans against the compliance rules", "compliance.cli"),
    ("evidence", "write the auditor evidence bundle of each env", "compliance.evidence.bundle"),
    ("verify", "check an evidence bundle against its manifest and signature", "compliance.evidence.verify"),
    ("diff", "violations a head plan adds over a base plan (pull-request check)", "compliance.diff"),
)

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A command-line mistake: reported on one line, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors raise instead of printing usage and exiting, so they stay one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(args)
    except UsageError as error:
        return _fail(f"usage: {error}", EXIT_BAD_INPUT)
    except InputError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as error:  # a bug must still be one line and a distinct exit code
        return _fail(f"internal: {type(error).__name__}: {error}", EXIT_INTERNAL)


def _dispatch(args: list[str]) -> int:
    from compliance.about import TOOL, version

    parser = Parser(prog="compliance", description="NoteGen compliance scanner")
    parser.add_argument("--version", action="version", version=f"{TOOL} {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    chosen = next((a for a in args if not a.startswith("-")), None)
    for name, help_text, module_name in COMMANDS:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    parsed = parser.parse_args(args)
    if parsed.command is None:
        raise UsageError(f"{parser.prog}: a command is required ({', '.join(c[0] for c in COMMANDS)})")
    code: int = parsed.run(parsed)
    return code


def _fail(message: str, code: int) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from compliance.formats import FORMATS

    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="Terraform root directory or .tf file"
    )
    parser.add_argument(
        "--plan",
        action="append",
        default=[],
        type=Path,
        metavar="PLAN_JSON",
        help="terraform show -json output",
    )
    parser.add_argument(
        "--format",
        action="append",
        choices=sorted(FORMATS),
        help="report format (default text); repeat it, each with its own --output, for several reports",
    )
    parser.add_argument(
        "--output",
        action="append",
        type=Path,
        metavar="FILE",
        help="write the report of the matching --format here instead of stdout",
    )
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help="waiver file (default: compliance/waivers.yaml)"
    )
    parser.add_argument(
        "--var-file", action="append", default=[], type=Path, metavar="FILE", dest="var_files"
    )
    _add_ci_options(parser)
    _add_live_options(parser)


def run(args: argparse.Namespace) -> int:
    from compliance.scan import LiveAccount, scan

    if (args.region or args.endpoint_url) and not args.live:
        raise UsageError("scan: --region and --endpoint-url go with --live [STATE_JSON]")
    account = LiveAccount(tuple(args.region), args.endpoint_url)
    config = _config(args)
    rules = None
    if args.rules_dir:
        from compliance.rules import RULES, external_rules

        rules = RULES
        for folder in args.rules_dir:
            rules = (*rules, *external_rules(folder, rules))
    result = scan(
        args.paths,
        args.plan,
        args.var_files,
        _waivers(args),
        rules,
        config=config,
        live=args.live,
        live_account=account,
    )
    return _report(result, args)


def _add_live_options(parser: argparse.ArgumentParser) -> None:
    live = parser.add_argument_group(
        "live account (read-only List/Describe/Get calls with the caller's AWS credentials)"
    )
    live.add_argument(
        "--live",
        action="append",
        nargs="?",
        const=None,
        default=[],
        type=Path,
        metavar="STATE_JSON",
        help="judge what is deployed: alone, every object found in the --region(s) and the account's IAM; "
        "with the JSON of `terraform show -json` (applied state), that state's objects at their addresses",
    )
    live.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="R",
        help="region to scan live; repeatable (default AWS_REGION); the first is the default of a state's objects",
    )
    live.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint (an emulator such as moto)")


# ---------------------------------------------------------------- policy and CI controls


def _add_ci_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="policy file (default: compliance.toml or [tool.compliance] found upward from the first input)",
    )
    rules = "rule ids, families (ENC) or globs (IAM0*); repeatable"
    parser.add_argument(
        "--rule", action="append", default=[], metavar="PATTERN", help=f"run only these {rules}"
    )
    parser.add_argument(
        "--skip-rule", action="append", default=[], metavar="PATTERN", help=f"skip these {rules}"
    )
    parser.add_argument("--fail-on", metavar="SEVERITY", help="lowest severity that fails (default: any)")
    parser.add_argument("--soft-fail", action="store_true", help="report violations but exit 0")
    parser.add_argument(
        "--snippet", action="store_true", help="text report: show each finding's source block"
    )
    parser.add_argument(
        "--rules-dir",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="also run the rules in this folder (<ID>_<slug>/rule.py, validated like ours)",
    )
    parser.add_argument(
        "--repo-root",
        type=Path,
        metavar="DIR",
        help="SARIF URIs are relative to this (default: the git root)",
    )
    parser.add_argument(
        "--baseline", type=Path, metavar="FILE", help="report findings in this baseline as waived"
    )
    parser.add_argument(
        "--create-baseline", type=Path, metavar="FILE", help="write the failing findings' baseline and exit 0"
    )


def _config(args: argparse.Namespace) -> Config:
    from compliance.config import parse_severity
    from compliance.scan import configuration

    config = configuration([*args.paths, *args.plan], args.config)
    return dataclasses.replace(
        config,
        rules=tuple(args.rule) or config.rules,
        skip_rules=(*config.skip_rules, *args.skip_rule),
        fail_on=parse_severity(args.fail_on) if args.fail_on else config.fail_on,
    )


def _waivers(args: argparse.Namespace) -> Path:
    from compliance.waivers import DEFAULT

    return Path(args.waivers or DEFAULT)


def _report(result: ScanResult, args: argparse.Namespace) -> int:
    from compliance import baseline
    from compliance.formats import FORMATS, sarif, text
    from compliance.formats.output import emit

    formats: list[str] = args.format or ["text"]
    outputs: list[Path | None] = list(args.output or [None])
    if len(formats) != len(outputs):
        raise UsageError("scan: give one --output per --format when writing several reports")
    if args.create_baseline is not None:
        count = baseline.create(result, args.create_baseline)
        print(f"baseline: {count} failing findings written to {args.create_baseline}", file=sys.stderr)
        return EXIT_OK
    if args.baseline is not None:
        result = baseline.apply(result, args.baseline)
    for name, output in zip(formats, outputs, strict=True):
        if name == "sarif":
            report = sarif.render(result, args.repo_root)
        elif name == "text":
            report = text.render(result, text.colour_wanted(output is not None), args.snippet)
        else:
            report = FORMATS[name](result)
        emit(report, output)
    if args.soft_fail and result.exit_code == EXIT_VIOLATIONS:
        print("soft-fail: violations reported, exit 0", file=sys.stderr)
        return EXIT_OK
    return result.exit_code
