"""`scan --live [STATE_JSON]`: the applied state names the objects (or, without one, discovery lists the
account: compliance.loaders.live.discovery), the caller's credentials describe them.

Read-only by construction: the clients refuse any operation that is not Describe/Get/List/Head
(compliance.loaders.live.aws). What the live account cannot show is kept as a gap resource (type
`live_gap`), which the scan reports as unknown (compliance.coverage), so the gate fails closed on it:
an applied object that is gone, a type some rule judges but no describer reads, or a listing the
endpoint failed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from compliance.loaders.live import Clients, gap, load_runtime, state_resources
from compliance.loaders.live.aws import denied
from compliance.model import InputError, Resource

MAX_BYTES = 512 * 1024 * 1024
POLICY = "compliance/loaders/live/read-only-policy.json"
"""The minimal IAM policy a live scan needs (tested sufficient against moto with IAM enforced)."""


def read_state(path: Path) -> Mapping[str, Any]:
    """The JSON of `terraform show -json` (no plan file: the applied state), or an InputError."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a state JSON file")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: state is over the {MAX_BYTES}-byte limit")
        document = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not a state: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not a state: invalid JSON at line {error.lineno} ({error.msg})") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read state: {error.strerror or error}") from error
    if not isinstance(document, dict) or "format_version" not in document:
        raise InputError(f"{path}: not a state: expected the JSON of `terraform show -json` (no plan file)")
    if "planned_values" in document or "resource_changes" in document:
        raise InputError(f"{path}: is a plan, not the applied state; a plan goes after --plan")
    values = document.get("values")
    if values is not None and not isinstance(values, dict):
        raise InputError(f"{path}: not a state: values is not an object")
    return document


def default_region(region: str | None, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    found = region or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if not found:
        raise InputError("scan --live: no region: give --region or set AWS_REGION")
    return found


def caller_clients(region: str, endpoint_url: str | None) -> Clients:
    """Clients with the caller's credentials (boto3's default chain), refusing every write."""
    import boto3  # type: ignore[import-untyped]  # no stubs installed

    return Clients(region, endpoint_url, session=boto3.session.Session(region_name=region), read_only=True)


def load_live(
    state: Mapping[str, Any], clients: Clients, judged_types: Collection[str]
) -> tuple[Resource, ...]:
    """Live resources of every applied object, and a gap resource for what could not be judged live."""
    with _calls_as_input_errors():
        load = load_runtime(state, clients)
    types = {item.address: item.type for item in state_resources(state)}
    gaps = [(address, "applied, but the object is gone live") for address in load.missing]
    gaps += [(a, why) for a, why in sorted(load.not_described.items()) if types[a] in judged_types]
    return load.resources + tuple(gap(address, types[address], why) for address, why in gaps)


def discover_live(clients: Clients, regions: Sequence[str]) -> tuple[Resource, ...]:
    """Every object discovery finds in `regions` (and the account's IAM), described live."""
    from compliance.loaders.live.discovery import load_discovered

    with _calls_as_input_errors():
        return load_discovered(clients, regions)


@contextmanager
def _calls_as_input_errors() -> Iterator[None]:
    """A denied call or an unreachable endpoint is bad input (one line, naming the policy when denied)."""
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        operation = getattr(error, "operation_name", "?")
        hint = f"; grant the policy in {POLICY}" if denied(code) else ""
        raise InputError(f"scan --live: {operation}: {code}: {error}{hint}") from None
    except BotoCoreError as error:  # no credentials, endpoint unreachable...
        raise InputError(f"scan --live: {error}") from None
