"""What each backend leaves out or waives, one item per thing, so each shows as a pytest skip with its reason.

Items are known at collection (from the coverage tables and the quirks); whether an item really left
something out is known only after the apply: the test then skips with what it left out, or passes when
staging has nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pytest

from emulator.localstack import NOT_COVERED_SERVICES, not_covered_service
from tests.integration.coverage import MOTO_NOT_IMPLEMENTED
from tests.integration.emulators import BACKENDS
from tests.integration.quirks import AGREEMENT_QUIRKS, DRIFT_QUIRKS
from tests.integration.tier import config_address, resource_type
from tests.loaders.test_live_policy import MOTO_UNSIGNABLE


@dataclass(frozen=True)
class Item:
    backend: str
    kind: str  # "not-applied" | "drift-waived" | "agreement-waived" | "policy-read"
    key: str  # a resource type (moto), a service (LocalStack), a quirk's index, a type prefix
    reason: str

    @property
    def id(self) -> str:
        return f"{self.backend}-{self.kind}-{self.key}"


def items(backend: str) -> list[Item]:
    """Every left-out or waived item of `backend`, in a stable order."""
    found: list[Item] = []
    if backend == "moto":
        found += [Item(backend, "not-applied", t, why) for t, why in MOTO_NOT_IMPLEMENTED.items()]
        found += [
            Item(backend, "policy-read", prefix.rstrip("_"), _UNSIGNABLE.format(prefix=prefix))
            for prefix in MOTO_UNSIGNABLE
        ]
    elif backend == "localstack":
        found += [
            Item(backend, "not-applied", s, f"{s} is not in LocalStack's community runtime")
            for s in NOT_COVERED_SERVICES
        ]
    found += [
        Item(backend, "drift-waived", str(index), quirk.reason)
        for index, quirk in enumerate(DRIFT_QUIRKS)
        if backend in quirk.backends
    ]
    found += [
        Item(backend, "agreement-waived", str(index), reason)
        for index, (backends, _, _, reason) in enumerate(AGREEMENT_QUIRKS)
        if backend in backends
    ]
    return found


_UNSIGNABLE = (
    "moto cannot verify the signature of {prefix}* describe calls while it enforces IAM, so the read-only "
    "policy's grants for them are not proven on the applied staging"
)


def group_of(backend: str, address: str, reason: str) -> str | None:
    """The not-applied item a left-out resource belongs to: its own type's, or its first blocker's."""
    blocker = (
        reason.removeprefix("depends on ").split(" ", 1)[0] if reason.startswith("depends on ") else address
    )
    kind = resource_type(config_address(blocker))
    if backend == "moto":
        return kind if kind in MOTO_NOT_IMPLEMENTED else None
    return not_covered_service(kind)


def not_applied(item: Item, excluded: Mapping[str, str]) -> list[str]:
    """The resources left out under `item` (itself not covered, or depending on what is not)."""
    return sorted(a for a, why in excluded.items() if group_of(item.backend, a, why) == item.key)


def coverage_counts(reports: Iterable[pytest.TestReport]) -> dict[str, tuple[int, int, int]]:
    """backend -> (passed, skipped, failed) among the tests of that backend (its id in the test's
    parameters; the seeded violations count as moto's)."""
    outcome: dict[str, str] = {}
    for report in reports:
        if report.skipped or report.failed:
            outcome.setdefault(report.nodeid, "skipped" if report.skipped else "failed")
        elif report.when == "call":
            outcome.setdefault(report.nodeid, "passed")
    counts: dict[str, list[int]] = {}
    for nodeid, result in outcome.items():
        params = nodeid.partition("[")[2]
        backend = next((b for b in BACKENDS if params.startswith(b)), None)
        if backend is None and "test_tier_violations" in nodeid:
            backend = "moto"
        if backend is None:
            continue
        row = counts.setdefault(backend, [0, 0, 0])
        row[("passed", "skipped", "failed").index(result)] += 1
    return {backend: (row[0], row[1], row[2]) for backend, row in counts.items()}
