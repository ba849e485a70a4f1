"""Framework columns of a report: which catalogues exist, and a finding's controls in each."""

from __future__ import annotations

from collections.abc import Collection

from compliance.model import Finding


def frameworks() -> tuple[str, ...]:
    """Framework names of the control catalogues (HIPAA, PIPEDA), in catalogue order."""
    from compliance.frameworks import catalog

    return tuple(framework.name for framework in catalog())


def controls_of(finding: Finding, names: Collection[str]) -> dict[str, list[str]]:
    """Every framework's controls for a finding, [] where the rule maps none."""
    return {name: list(finding.controls.get(name, ())) for name in names}
