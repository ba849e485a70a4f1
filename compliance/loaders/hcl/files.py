"""Terraform's file functions: paths are relative to the root module directory, as Terraform resolves them."""

from __future__ import annotations

import base64
import hashlib
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance.loaders.hcl.parse import MAX_FILE_BYTES
from compliance.loaders.hcl.protocols import Context, Step, Templating
from compliance.loaders.hcl.values import EvalError
from compliance.model import Unknown


def _read(ctx: Context, name: Any) -> Path:
    """A file named relative to the root module directory, as Terraform resolves it."""
    if not isinstance(name, str):
        raise EvalError("a file path must be a string")
    path = ctx.root_dir / name
    try:
        status = path.stat()
    except (OSError, ValueError):
        raise EvalError(f"file {name} does not exist") from None
    if not stat.S_ISREG(status.st_mode):
        raise EvalError(f"{name} is not a regular file")  # never read a device or a FIFO
    if status.st_size > MAX_FILE_BYTES:
        raise EvalError(f"file {name} is over the size limit")
    return path


def _file(evaluator: Templating, args: list[Any], ctx: Context) -> Any:
    try:
        return _read(ctx, args[0]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise EvalError(f"file {args[0]} cannot be read as UTF-8 text") from None


def _filebase64(evaluator: Templating, args: list[Any], ctx: Context) -> Any:
    try:
        return base64.b64encode(_read(ctx, args[0]).read_bytes()).decode()
    except OSError:
        raise EvalError(f"file {args[0]} cannot be read") from None


def _fileexists(evaluator: Templating, args: list[Any], ctx: Context) -> Any:
    try:
        return _read(ctx, args[0]).is_file()
    except EvalError:
        return False


def _templatefile(evaluator: Templating, args: list[Any], ctx: Context) -> Any:
    text = _file(evaluator, args, ctx)
    variables = args[1] if len(args) > 1 else {}
    if isinstance(variables, Unknown):
        return variables
    if not isinstance(variables, dict):
        raise EvalError("templatefile(): the variables must be an object")
    return evaluator.template(text, _Isolated(ctx), variables)


class _Isolated:
    """A template file sees only its variables (and functions), not the module's references."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def root_dir(self) -> Path:
        return self._ctx.root_dir

    def resolve(self, root: str, steps: list[Step]) -> tuple[Any, int]:
        raise EvalError(f"templatefile(): unknown variable {root!r}")


def _file_digest(name: str) -> Callable[[Templating, list[Any], Context], Any]:
    def digest(evaluator: Templating, args: list[Any], ctx: Context) -> Any:
        try:
            data = _read(ctx, args[0]).read_bytes()
        except OSError:
            raise EvalError(f"file {args[0]} cannot be read") from None
        hashed = hashlib.new(name.removeprefix("filebase64").removeprefix("file"), data)
        return base64.b64encode(hashed.digest()).decode() if "base64" in name else hashed.hexdigest()

    return digest


FILE_FUNCTIONS: dict[str, Callable[[Templating, list[Any], Context], Any]] = {
    **{n: _file_digest(n) for n in ("filemd5", "filesha1", "filesha256", "filesha512")},
    **{n: _file_digest(n) for n in ("filebase64sha256", "filebase64sha512")},
    "file": _file,
    "filebase64": _filebase64,
    "fileexists": _fileexists,
    "templatefile": _templatefile,
}
