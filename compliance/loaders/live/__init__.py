"""The live account as a third source: describe what Terraform applied and build the same Resource model.

The applied state (`terraform show -json` of it) says which live objects belong to which Terraform address
(each resource's id/arn); boto3 describe calls then say what those objects really are. Values are built in
the attribute shape of plan JSON so the same rules judge them. Nothing is copied from the state except the
identifiers used to find the object: a live attribute the describers do not read is absent, not guessed.

An identifier that names another applied resource (a subnet id, a key ARN, a role name) becomes an
`Unknown` carrying that resource's address, as the plan shows it before apply, so rules follow references
the same way in every source.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.loaders.live.aws import Clients, arn_region
from compliance.loaders.live.describers import DESCRIBERS, Describer
from compliance.model import Origin, Resource, Source, Unknown

__all__ = [
    "GAP",
    "Clients",
    "RuntimeLoad",
    "StateResource",
    "gap",
    "link_references",
    "load_runtime",
    "resource",
    "state_resources",
]

# Applied objects that have no live counterpart to describe: Terraform's own bookkeeping, and waiters
# (aws_acm_certificate_validation only waits for the certificate, which is described itself).
NOT_LIVE_TYPES = frozenset(
    {
        "terraform_data",
        "null_resource",
        "time_sleep",
        "random_id",
        "random_password",
        "aws_acm_certificate_validation",
    }
)


@dataclass(frozen=True)
class StateResource:
    """One managed resource instance of the applied state."""

    address: str
    type: str
    name: str
    module: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class RuntimeLoad:
    """What the live account gave: resources, and what could not be judged live (with why)."""

    resources: tuple[Resource, ...]
    missing: tuple[str, ...]  # applied addresses whose object no longer exists live
    not_described: Mapping[str, str]  # address -> reason it was not described


def state_resources(state: Mapping[str, Any]) -> tuple[StateResource, ...]:
    """Managed resource instances of `terraform show -json` (of a state), root and child modules."""
    root = state.get("values", {}).get("root_module", {})
    return tuple(_walk(root))


def _walk(module: Mapping[str, Any]) -> Iterator[StateResource]:
    for item in module.get("resources", ()):
        if item.get("mode") != "managed":
            continue
        address = str(item["address"])
        yield StateResource(
            address=address,
            type=str(item["type"]),
            name=str(item["name"]),
            module=_module_of(address),
            values=item.get("values") or {},
        )
    for child in module.get("child_modules", ()):
        yield from _walk(child)


def _module_of(address: str) -> str:
    parts = address.split(".")
    steps: list[str] = []
    while len(parts) >= 2 and parts[0] == "module":
        steps += parts[:2]
        parts = parts[2:]
    return ".".join(steps)


def load_runtime(
    state: Mapping[str, Any],
    clients: Clients,
    describers: Mapping[str, Describer] = DESCRIBERS,
) -> RuntimeLoad:
    """Describe every applied resource live and return them as Resources of origin RUNTIME."""
    applied = state_resources(state)
    identifiers = identifier_index(applied)
    resources: list[Resource] = []
    missing: list[str] = []
    not_described: dict[str, str] = {}
    for item in applied:
        describer = describers.get(item.type)
        if describer is None:
            not_described[item.address] = (
                "Terraform bookkeeping or a waiter, not a live object"
                if item.type in NOT_LIVE_TYPES
                else f"no live describer for {item.type}"
            )
            continue
        values = describer(item.values, clients)
        if values is None:
            missing.append(item.address)
            continue
        linked = link_references(values, identifiers, item.address)
        resources.append(resource(item, linked, clients.region))
    return RuntimeLoad(tuple(resources), tuple(missing), not_described)


def resource(item: StateResource, values: Mapping[str, Any], default_region: str) -> Resource:
    """The Resource of one described object: in the region of its ARN, else in `default_region`."""
    arn = values.get("arn")
    region = arn_region(arn) if isinstance(arn, str) else None
    return Resource(
        address=item.address,
        mode="managed",
        type=item.type,
        name=item.name,
        module=item.module,
        provider=f"{item.module}.provider.aws" if item.module else "provider.aws",
        region=region or default_region,
        values=values,
        source=Source(file=f"runtime:{item.address}"),
        origin=Origin.RUNTIME,
    )


def identifier_index(applied: tuple[StateResource, ...]) -> Mapping[str, str]:
    """Each applied resource's id and arn -> its address (the first one wins on a shared id)."""
    index: dict[str, str] = {}
    for item in applied:
        for key in ("id", "arn"):
            value = item.values.get(key)
            if isinstance(value, str) and value and value not in index:
                index[value] = item.address
    return index


def link_references(value: Any, identifiers: Mapping[str, str], own: str) -> Any:
    """Replace identifiers of other applied resources with references to their addresses."""
    if isinstance(value, str):
        target = identifiers.get(value)
        if target is not None and target != own:
            return Unknown(refs=(target,), reason=f"live identifier of {target}")
        return value
    if isinstance(value, Mapping):
        return {
            key: item if key in ("id", "arn") else link_references(item, identifiers, own)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [link_references(item, identifiers, own) for item in value]
    return value


GAP = "live_gap"
"""The type of a gap resource: what a live scan could not judge (SCN002 reports it unknown)."""


def gap(address: str, kind: str, why: str) -> Resource:
    """What the live scan could not judge, and why, as one resource of type GAP."""
    return Resource(
        address=address,
        mode="managed",
        type=GAP,
        name=address.rsplit(".", 1)[-1],
        module="",
        provider="",
        region=None,
        values={"type": kind, "reason": why},
        source=Source(file=f"runtime:{address}"),
        origin=Origin.RUNTIME,
    )
