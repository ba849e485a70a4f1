"""boto3 at the boundary: one client per (service, region), pointed at an emulator or at moto in-process.

boto3 ships no type stubs here, so clients are `Any`; the describers turn their answers into plain values.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import boto3  # type: ignore[import-untyped]  # no stubs installed: clients are Any
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

T = TypeVar("T")

# Error codes meaning "this object does not exist (any more)": the describer answers None.
NOT_FOUND_CODES = frozenset(
    {
        "NoSuchEntity",
        "NoSuchBucket",
        "ResourceNotFoundException",
        "RepositoryNotFoundException",
        "FileSystemNotFound",
        "MountTargetNotFound",
        "AccessPointNotFound",
        "ParameterNotFound",
        "NotFoundException",
        "NotFound",
        "TrailNotFoundException",
        "LoadBalancerNotFound",
        "ListenerNotFound",
        "TargetGroupNotFound",
        "ClusterNotFoundException",
        "InvalidVpcID.NotFound",
        "InvalidSubnetID.NotFound",
        "InvalidGroup.NotFound",
        "InvalidRouteTableID.NotFound",
        "InvalidInternetGatewayID.NotFound",
        "InvalidAllocationID.NotFound",
        "NatGatewayNotFound",
        "InvalidFlowLogId.NotFound",
    }
)


READ_ONLY_PREFIXES = ("Describe", "Get", "List", "Head")


class WriteRefusedError(RuntimeError):
    """A read-only scan was about to call an API that is not a read (a bug: the scan never writes)."""


class Clients:
    """boto3 clients for one account.

    `endpoint_url` None means boto3's default (moto's in-process mock in tests, AWS otherwise). Without a
    `session` the clients use the emulators' fake credentials; `python -m compliance scan --live` passes
    the caller's own session with `read_only=True`, which refuses any operation that is not a
    Describe/Get/List/Head before it is sent.
    """

    def __init__(
        self,
        region: str,
        endpoint_url: str | None = None,
        session: Any = None,
        read_only: bool = False,
    ) -> None:
        self.region = region
        self.endpoint_url = endpoint_url
        self._session = session or boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name=region
        )
        if read_only:
            self._session.events.register("before-call.*.*", _refuse_writes)
        self._clients: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        if key not in self._clients:
            self._clients[key] = self._session.client(
                service,
                region_name=key[1],
                endpoint_url=self.endpoint_url,
                config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}),
            )
        return self._clients[key]

    def at(self, region: str) -> Clients:
        """The same account and session (read-only guard included), with `region` as the default."""
        other = Clients.__new__(Clients)
        other.region, other.endpoint_url = region, self.endpoint_url
        other._session, other._clients = self._session, self._clients
        return other


def _refuse_writes(model: Any, **_: Any) -> None:
    name = str(model.name)
    if not name.startswith(READ_ONLY_PREFIXES):
        raise WriteRefusedError(
            f"{model.service_model.service_name}:{name} is not a read; the live scan never writes"
        )


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def denied(code: str) -> bool:
    """Whether an error code says the caller's policy does not allow the call."""
    return "Denied" in code or "Unauthorized" in code or "NotAuthorized" in code


def absent(call: Callable[[], T], *codes: str) -> T | None:
    """The call's answer, or None when it says the object (or the optional setting) does not exist."""
    try:
        return call()
    except ClientError as error:
        code = error_code(error)
        if code in NOT_FOUND_CODES or code in codes:
            return None
        raise


def arn_region(arn: str) -> str | None:
    """The region field of an ARN (None for global ARNs like IAM's, or for a non-ARN)."""
    parts = arn.split(":")
    return parts[3] or None if len(parts) > 5 and parts[0] == "arn" else None


def region_of(values: Any, default: str) -> str:
    """The region a resource lives in, from its ARN when the state has one."""
    arn = values.get("arn") if hasattr(values, "get") else None
    return (arn_region(arn) if isinstance(arn, str) else None) or default


def policy_text(document: Any) -> str | None:
    """A policy as the provider stores it: a JSON string (URL-decoded documents come back as dicts)."""
    if document is None or document == "":
        return None
    if isinstance(document, str):
        return document
    return json.dumps(document, sort_keys=True)
