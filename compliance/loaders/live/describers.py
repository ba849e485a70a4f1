"""The registry of live describers: resource type -> function(state values, clients) -> plan-shaped values.

A describer answers None when the object no longer exists live. It reads only the identifiers from the
state values it is given (id, arn, name, bucket, ...): every other attribute comes from the live API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from compliance.loaders.live import data, main_routes, network, scheduler, workload
from compliance.loaders.live.aws import Clients

Describer = Callable[[Mapping[str, Any], Clients], "dict[str, Any] | None"]

DESCRIBERS: Mapping[str, Describer] = {
    **network.DESCRIBERS,
    **data.DESCRIBERS,
    **workload.DESCRIBERS,
    **main_routes.DESCRIBERS,
    **scheduler.DESCRIBERS,
}
