"""`python -m compliance COMMAND ...`: the scanner's command line.

Exit codes: 0 nothing fails or is unknown (after waivers); 1 violations; 2 usage or bad input, with one
line on stderr naming the file and the problem; 3 an internal error (a bug: one line, never a traceback).

Subcommands are registered in COMMANDS as (name, help, module): the module defines
`add_arguments(parser)` and `run(args) -> int`, and is imported only when its command runs, so a scan
never pays for the imports of evidence or diff. Adding a command is one line here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from compliance.model import InputError

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
    parser = Parser(prog="python -m compliance", description="NoteGen compliance scanner")
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
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help="waiver file (default: compliance/waivers.yaml)"
    )
    parser.add_argument(
        "--var-file", action="append", default=[], type=Path, metavar="FILE", dest="var_files"
    )
    live = parser.add_argument_group("live account (read-only describes with the caller's AWS credentials)")
    live.add_argument(
        "--live",
        action="append",
        default=[],
        type=Path,
        metavar="STATE_JSON",
        help="terraform show -json of the applied state: its objects are described live and judged",
    )
    live.add_argument("--region", metavar="R", help="default region of the live objects (else AWS_REGION)")
    live.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint (an emulator such as moto)")


def run(args: argparse.Namespace) -> int:
    from compliance.formats import FORMATS
    from compliance.formats.output import emit
    from compliance.scan import LiveAccount, scan
    from compliance.waivers import DEFAULT

    account = LiveAccount(args.region, args.endpoint_url)
    if (args.region or args.endpoint_url) and not args.live:
        raise UsageError("scan: --region and --endpoint-url go with --live STATE_JSON")
    result = scan(
        args.paths, args.plan, args.var_files, args.waivers or DEFAULT, live=args.live, live_account=account
    )
    emit(FORMATS[args.format](result), args.output)
    return result.exit_code
