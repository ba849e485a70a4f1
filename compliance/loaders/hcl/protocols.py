"""The shapes the evaluator and the function tables share: reference steps, a lookup context, and the
templating an evaluator offers to file functions. Kept apart so eval.py and files.py need not import
each other."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

Step = tuple[str, Any]  # ("attr", name) | ("index", key) | ("splat", None)
Env = Mapping[str, Any]


class Context(Protocol):
    """Where references are looked up: a module instance, maybe inside a count/for_each instance."""

    @property
    def root_dir(self) -> Path: ...

    def resolve(self, root: str, steps: list[Step]) -> tuple[Any, int]:
        """The value `root` names, after consuming some of `steps`; returns (value, steps used)."""
        ...


class Templating(Protocol):
    """What templatefile() needs of the evaluator."""

    def template(self, text: str, ctx: Context, env: Env) -> Any: ...
