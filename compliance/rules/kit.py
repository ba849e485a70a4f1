"""The rule author's kit for unit tests beside a rule (rules/<ID>_<slug>/test_*.py): build a resource,
a reference, and ask a rule for its status over a small model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.model import Model, Origin, Resource, Rule, Source, Status, Unknown


def resource(
    address: str, values: Mapping[str, Any], region: str | Unknown | None = "ca-central-1"
) -> Resource:
    """A root-module resource (a data source when the address starts with data.) as HCL gives it."""
    mode = "data" if address.startswith("data.") else "managed"
    kind, name = address.removeprefix("data.").split(".")[:2]
    return Resource(
        address=address,
        mode=mode,
        type=kind,
        name=name,
        module="",
        provider="provider.aws",
        region=region,
        values=values,
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


def status(rule: Rule, subject: Resource, *others: Resource) -> Status:
    """The status `rule` gives `subject` in a model of it and `others`; the rule must apply."""
    result = rule.check(subject, Model((subject, *others)))
    assert result is not None, f"{rule.id} does not apply to {subject.address}"
    return result.status


def ref(*addresses: str) -> Unknown:
    """A value known after apply that refers to these addresses."""
    return Unknown(refs=addresses, reason="known after apply")
