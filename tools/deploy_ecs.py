"""The ECS steps of `tools.deploy`: render a revision, wait for a steady state, check alarms and health.

Pure functions over boto3 clients (typed as Any: boto3 ships no stubs here) and plain dicts, so each step
is testable on its own against moto.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

# Keys of DescribeTaskDefinition's taskDefinition that RegisterTaskDefinition accepts back as they are.
REGISTERABLE = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
    "enableFaultInjection",
)
IMAGE = re.compile(r"^(?P<repository>[a-z0-9][a-z0-9._:/-]*[a-z0-9])@sha256:[0-9a-f]{64}$")
HEALTH_PATHS = ("/livez", "/readyz")


class BadInputError(Exception):
    """The request cannot be carried out as given (exit 2); nothing was changed."""


class StepError(Exception):
    """A deployment step failed (exit 1 once rolled back)."""


@dataclass(frozen=True)
class Rendered:
    """The registration request of the new revision and what it changed."""

    request: dict[str, Any]
    container: str
    old_image: str


def repository_of(image: str) -> str:
    """`registry/repo` of `registry/repo:tag` or `registry/repo@sha256:...`."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name.rsplit(":", 1)[0]
    return name


def check_image(image: str) -> str:
    """The image reference, which must name a digest (deploys are by digest, never by a movable tag)."""
    if not IMAGE.match(image):
        raise BadInputError(f"image {image!r} must be <repository>@sha256:<64 hex digits> (deploy by digest)")
    return image


def render(
    previous: Mapping[str, Any], tags: Sequence[Mapping[str, str]], image: str, container: str | None
) -> Rendered:
    """The previous revision as a registration request with only one container's image changed."""
    definitions = [dict(c) for c in previous.get("containerDefinitions") or []]
    names = [str(c.get("name")) for c in definitions]
    if container is not None:
        chosen = [i for i, c in enumerate(definitions) if c.get("name") == container]
        if not chosen:
            raise BadInputError(
                f"container {container!r} is not in {previous.get('family')} (has {', '.join(names)})"
            )
    else:
        chosen = [
            i
            for i, c in enumerate(definitions)
            if repository_of(str(c.get("image", ""))) == repository_of(image)
        ]
        if len(chosen) != 1:
            raise BadInputError(
                f"{len(chosen)} containers of {previous.get('family')} run {repository_of(image)}: "
                f"name one with --container ({', '.join(names)})"
            )
    index = chosen[0]
    old_image = str(definitions[index].get("image", ""))
    definitions[index]["image"] = image
    request = {key: previous[key] for key in REGISTERABLE if previous.get(key) not in (None, [], {})}
    request["containerDefinitions"] = definitions
    if tags:
        request["tags"] = [dict(t) for t in tags]
    return Rendered(request, str(definitions[index]["name"]), old_image)


def revision(arn: str) -> str:
    """`family:revision` of a task definition ARN."""
    return arn.rsplit("/", 1)[-1]


MISSING = {"ClusterNotFoundException", "ServiceNotFoundException", "ServiceNotActiveException"}


def describe_service(ecs: Any, cluster: str, service: str) -> dict[str, Any]:
    try:
        answer = ecs.describe_services(cluster=cluster, services=[service])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING:
            raise BadInputError(f"service {service} in cluster {cluster}: {error}") from error
        raise
    found = [s for s in answer.get("services") or [] if s.get("status") == "ACTIVE"]
    if not found:
        reasons = "; ".join(f.get("reason", "?") for f in answer.get("failures") or []) or "not ACTIVE"
        raise BadInputError(f"service {service} in cluster {cluster}: {reasons}")
    result: dict[str, Any] = found[0]
    return result


def describe_revision(ecs: Any, name: str) -> dict[str, Any]:
    """DescribeTaskDefinition with tags; a revision that does not exist is bad input."""
    try:
        answer: dict[str, Any] = ecs.describe_task_definition(taskDefinition=name, include=["TAGS"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("ClientException", "InvalidParameterException"):
            raise BadInputError(f"task definition {name}: {error}") from error
        raise
    return answer


def alarms_firing(cloudwatch: Any, names: Sequence[str]) -> list[str]:
    """The named alarms in state ALARM; a name that does not exist is an error, not a pass."""
    if not names:
        return []
    alarms = cloudwatch.describe_alarms(AlarmNames=list(names)).get("MetricAlarms") or []
    missing = sorted(set(names) - {a["AlarmName"] for a in alarms})
    if missing:
        raise StepError(f"alarm(s) not found: {', '.join(missing)}")
    return sorted(a["AlarmName"] for a in alarms if a.get("StateValue") == "ALARM")


@dataclass(frozen=True)
class Waiting:
    """How long to wait and how often to look."""

    timeout: float
    interval: float
    sleep: Callable[[float], None] = time.sleep


def wait_steady(
    ecs: Any,
    cloudwatch: Any,
    cluster: str,
    service: str,
    target: str,
    alarms: Sequence[str],
    waiting: Waiting,
) -> float:
    """Wait until `service` runs only `target` at its desired count; seconds waited. Fails as soon as ECS
    moves the service to another revision (circuit breaker rollback), a deployment fails, or an alarm fires."""
    started = time.monotonic()
    while True:
        current = describe_service(ecs, cluster, service)
        if current.get("taskDefinition") != target:
            raise StepError(
                f"ECS moved the service to {revision(str(current.get('taskDefinition')))} "
                "(deployment circuit breaker rollback)"
            )
        deployments = current.get("deployments") or []
        failed = [d for d in deployments if d.get("rolloutState") == "FAILED"]
        if failed:
            raise StepError(
                f"deployment circuit breaker tripped: {failed[0].get('rolloutStateReason', 'FAILED')}"
            )
        firing = alarms_firing(cloudwatch, alarms)
        if firing:
            raise StepError(f"alarm(s) in ALARM: {', '.join(firing)}")
        # Stable as boto3's services_stable waiter defines it: one deployment, running == desired.
        if len(deployments) <= 1 and current.get("runningCount") == current.get("desiredCount"):
            return time.monotonic() - started
        if time.monotonic() - started > waiting.timeout:
            raise StepError(
                f"no steady state within {waiting.timeout:.0f}s ({len(deployments)} deployment(s), "
                f"{current.get('runningCount')}/{current.get('desiredCount')} running)"
            )
        waiting.sleep(waiting.interval)


def check_health(base_url: str, waiting: Waiting) -> list[str]:
    """GET /livez and /readyz through the load balancer until each answers 200; one line per path."""
    lines: list[str] = []
    for path in HEALTH_PATHS:
        url = base_url.rstrip("/") + path
        started = time.monotonic()
        while True:
            status = _status(url)
            if status == 200:
                lines.append(f"{path} 200 after {time.monotonic() - started:.1f}s")
                break
            if time.monotonic() - started > waiting.timeout:
                raise StepError(f"{url} answered {status} for {waiting.timeout:.0f}s (want 200)")
            waiting.sleep(waiting.interval)
    return lines


def _status(url: str) -> str | int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError) as error:
        return f"no answer ({getattr(error, 'reason', error)})"
