"""Completing a plan with the HCL of the same root.

A plan leaves unknown whatever depends on apply (ARNs, IDs) and keeps only reference lists for its
configuration: a policy built with jsonencode() around one ARN is one unknown string, and a reference
through a local is lost. The HCL loader evaluates the same expressions partially, keeping the known
structure (statements, actions, principals) and precise references. When a plan and the HCL of its root
are scanned together, a value unknown in the plan takes the HCL's partial value; a value the plan knows
always wins. Sensitive paths are never filled, so no secret literal can enter the model this way.

Pairing is checked, not assumed: the HCL must name the plan's resources and agree with the plan on the
scalar values both know (names, flags, sizes), so staging's code never completes prod's plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from compliance.model import Resource, Unknown

MAX_DISAGREEMENT = 0.01
SCALARS = (str, int, float, bool)


def agrees(plan: Mapping[str, Resource], hcl: Mapping[str, Resource]) -> bool:
    """True when the HCL holds the plan's resources and their commonly known scalars match."""
    shared = [address for address in plan if address in hcl]
    if not shared or len(shared) < 0.9 * len(plan):
        return False
    compared = differing = 0
    for address in shared:
        theirs = hcl[address].values
        for key, value in plan[address].values.items():
            other = theirs.get(key)
            if isinstance(value, SCALARS) and isinstance(other, SCALARS) and type(value) is type(other):
                compared += 1
                differing += value != other
    return compared > 0 and differing <= MAX_DISAGREEMENT * compared


def complete(resource: Resource, twin: Resource) -> Mapping[str, Any]:
    """The plan resource's values with its unknowns filled from the HCL twin where that knows more."""
    hidden = resource.sensitive | twin.sensitive
    return {key: _fill(value, twin.values.get(key), key, hidden) for key, value in resource.values.items()}


def _fill(planned: Any, written: Any, path: str, hidden: frozenset[str]) -> Any:
    if path in hidden:
        return planned
    if isinstance(planned, Unknown):
        if written is None or (isinstance(written, Unknown) and not written.refs):
            return planned
        return written
    if isinstance(planned, Mapping) and isinstance(written, Mapping):
        return {k: _fill(v, written.get(k), f"{path}.{k}", hidden) for k, v in planned.items()}
    if isinstance(planned, list) and isinstance(written, list) and len(planned) == len(written):
        return [
            _fill(p, w, f"{path}.{i}", hidden) for i, (p, w) in enumerate(zip(planned, written, strict=True))
        ]
    return planned


def paired(
    plan: Sequence[Resource], hcl_inputs: Sequence[Sequence[Resource]]
) -> Mapping[str, Resource] | None:
    """The HCL resources (by address) of the input that is the plan's own root, if one is."""
    planned = {r.address: r for r in plan if r.mode == "managed"}
    for resources in hcl_inputs:
        written = {r.address: r for r in resources}
        if agrees(planned, written):
            return written
    return None
