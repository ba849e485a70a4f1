"""The one result algebra rules share: worst-of (FAIL, then UNKNOWN, then PASS), a verdict over problems
and doubts, and the two kinds of switch (a feature that must be on, a path that must be off)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from compliance.analysis.values import blocks, describe, truth
from compliance.model import WORST_FIRST, Resource, Result, Status, Unknown, failed, passed, unknown

T = TypeVar("T")


def _status(item: Any) -> Status:
    return cast(Status, item.status)


def worst(results: Sequence[Result]) -> Result:
    """The worst status among `results` (FAIL, then UNKNOWN, then PASS), with the messages that have it."""
    for status in WORST_FIRST:
        messages = [result.message for result in results if result.status is status]
        if messages:
            return Result(status, "; ".join(messages))
    raise ValueError("worst() needs at least one result")


def worst_status(statuses: Iterable[Status]) -> Status | None:
    """The worst of some statuses (FAIL, then UNKNOWN, then PASS); None when there are none."""
    found = set(statuses)
    return next((status for status in WORST_FIRST if status in found), None)


def first_worst(items: Iterable[T | None], status: Callable[[T], Status] = _status) -> T | None:
    """The first item of the worst status among `items` (None entries ignored), or None."""
    listed = [item for item in items if item is not None]
    chosen = worst_status(status(item) for item in listed)
    return next((item for item in listed if status(item) is chosen), None)


def combine(results: Iterable[Result]) -> Result | None:
    """One result for many parts (volumes, listeners, devices), or None when there are no parts."""
    listed = list(results)
    return worst(listed) if listed else None


def verdict(problems: Sequence[str], doubts: Sequence[str], fine: str) -> Result:
    """FAIL naming the problems, else UNKNOWN naming what could not be read, else PASS."""
    if problems:
        return failed(
            "; ".join(problems[:4]) + (f" (+{len(problems) - 4} more)" if len(problems) > 4 else "")
        )
    if doubts:
        return unknown("; ".join(doubts[:4]))
    return passed(fine)


def switch(resource: Resource, block: str, flag: str) -> tuple[Result, Mapping[str, Any]]:
    """The boolean `flag` of a single nested `block` (encrypt_at_rest.enabled...), and the block.
    An absent block fails: these switches are all off by default."""
    configs = blocks(resource.values, block)
    if isinstance(configs, Unknown):
        return Result(Status.UNKNOWN, f"{block} is not known before apply"), {}
    if not configs:
        return Result(Status.FAIL, f"{block} is not configured (off by default)"), {}
    value = configs[0].get(flag)
    return Result(truth(value), f"{block}.{flag} is {describe(value)}"), configs[0]


def switched_off(value: Any, what: str) -> Result:
    """For a flag that opens a path from the internet (default false): PASS when false or unset."""
    status = truth(value)
    if status is Status.PASS:
        return failed(f"{what} is {describe(value)}")
    if status is Status.UNKNOWN:
        return unknown(f"{what} is not known before apply")
    return passed(f"{what} is {describe(value if value is not None else False)}")
