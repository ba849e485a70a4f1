"""`python -m tools.deploy`: deploy an image digest to the ECS service, and roll back on any failure.

    python -m tools.deploy --cluster notegen-staging --service notegen-staging-api \
        --image 111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-staging/api@sha256:<digest> \
        --url https://api.staging.notegen.ai --alarm notegen-staging-api-target-5xx [--alarm ...] \
        [--base notegen-staging-api:7]

Steps: read the service's current task definition (or the --base revision, e.g. the one a Terraform change
of the task definition registered, which the service does not pick up by itself); register a new revision that differs only in the image
of the container that runs this repository; update the service; wait for a steady state (failing early when
ECS's circuit breaker rolls it back, a deployment fails or a named alarm fires); GET /livez and /readyz
through the load balancer. Any failure (or Ctrl-C/SIGTERM) after the update puts the service back on the
exact previous revision, waits for it to settle and deregisters the new revision. Terraform created the
service and its first revision and ignores `task_definition` afterwards (modules/ecs_service).

Exit codes, as the scanner's: 0 deployed (or already running this image); 1 the deployment failed and was
rolled back (or failed before changing anything); 2 bad input (one line, nothing changed); 3 internal error,
including a rollback that did not complete (the line says where the service stands).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, NoReturn

import boto3  # type: ignore[import-untyped]  # no stubs installed: clients are Any
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from tools.deploy_ecs import (
    BadInputError,
    StepError,
    Waiting,
    alarms_firing,
    check_health,
    check_image,
    describe_revision,
    describe_service,
    render,
    revision,
    wait_steady,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class RollbackError(Exception):
    """The service could not be put back on the previous revision (exit 3)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInputError(f"usage: {message}")


@dataclass(frozen=True)
class Request:
    cluster: str
    service: str
    image: str
    container: str | None
    base: str | None
    url: str | None
    alarms: tuple[str, ...]
    steady: Waiting
    health: Waiting


def parse(argv: Sequence[str]) -> tuple[Request, dict[str, Any]]:
    parser = Parser(prog="python -m tools.deploy", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cluster", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--image", required=True, help="<repository>@sha256:<digest>")
    parser.add_argument("--container", help="container to update (default: the one running this repository)")
    parser.add_argument(
        "--base", help="revision to render from (family:revision or ARN; default: the one the service runs)"
    )
    parser.add_argument("--url", help="base URL of the load balancer for /livez and /readyz (https://...)")
    parser.add_argument("--alarm", action="append", default=[], help="CloudWatch alarm that must not fire")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to reach a steady state")
    parser.add_argument("--health-timeout", type=float, default=120.0, help="seconds for each health path")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between checks")
    parser.add_argument("--region", help="AWS region (default: the environment's)")
    parser.add_argument("--endpoint-url", help="AWS endpoint (an emulator)")
    args = parser.parse_args(list(argv))
    if args.url is not None and not args.url.startswith(("https://", "http://")):
        raise BadInputError(f"--url {args.url!r} must be an http(s) URL")
    if min(args.timeout, args.health_timeout) <= 0 or args.interval <= 0:
        raise BadInputError("timeouts and the interval must be positive")
    request = Request(
        cluster=args.cluster,
        service=args.service,
        image=check_image(args.image),
        container=args.container,
        base=args.base,
        url=args.url,
        alarms=tuple(args.alarm),
        steady=Waiting(args.timeout, args.interval),
        health=Waiting(args.health_timeout, min(args.interval, 5.0)),
    )
    return request, {"region_name": args.region, "endpoint_url": args.endpoint_url}


class Deployer:
    """One deployment; `say` prints what it does."""

    def __init__(self, request: Request, ecs: Any, cloudwatch: Any, say: Callable[[str], None]) -> None:
        self.r, self.ecs, self.cloudwatch, self.say = request, ecs, cloudwatch, say

    def run(self) -> int:
        r = self.r
        service = describe_service(self.ecs, r.cluster, r.service)
        previous = str(service["taskDefinition"])
        described = describe_revision(self.ecs, r.base or previous)
        base = described["taskDefinition"]
        rendered = render(base, described.get("tags") or [], r.image, r.container)
        self.say(f"service   {r.service} (cluster {r.cluster}) runs {revision(previous)}")
        if r.base is not None:
            if base.get("family") != previous.rsplit("/", 1)[-1].rsplit(":", 1)[0]:
                raise BadInputError(f"--base {r.base} is not a revision of the service's family")
            self.say(f"base      {revision(str(base['taskDefinitionArn']))} (given with --base)")
        if rendered.old_image == r.image and r.base is None:
            self.say(f"unchanged {rendered.container} already runs {r.image}: nothing to deploy")
            return EXIT_OK
        firing = alarms_firing(self.cloudwatch, r.alarms)
        if firing:
            self.say(f"refused   alarm(s) already in ALARM: {', '.join(firing)}; nothing changed")
            return EXIT_FAILED
        new = str(
            self.ecs.register_task_definition(**rendered.request)["taskDefinition"]["taskDefinitionArn"]
        )
        self.say(
            f"register  {revision(new)}: {rendered.container} {rendered.old_image} -> {r.image} (nothing else)"
        )
        try:
            self.ecs.update_service(cluster=r.cluster, service=r.service, taskDefinition=new)
            self.say(f"update    {r.service} -> {revision(new)}")
            waited = wait_steady(self.ecs, self.cloudwatch, r.cluster, r.service, new, r.alarms, r.steady)
            self.say(f"steady    {revision(new)} at the desired count after {waited:.1f}s")
            if r.url is not None:
                for line in check_health(r.url, r.health):
                    self.say(f"verify    {r.url.rstrip('/')}{line}")
            firing = alarms_firing(self.cloudwatch, r.alarms)
            if firing:
                raise StepError(f"alarm(s) in ALARM after the deployment: {', '.join(firing)}")
        except (StepError, ClientError, BotoCoreError, KeyboardInterrupt) as error:
            reason = "interrupted" if isinstance(error, KeyboardInterrupt) else " ".join(str(error).split())
            self.say(f"failed    {reason}")
            self.rollback(previous, new)
            return EXIT_FAILED
        self.say(f"deployed  {revision(new)} ({r.image})")
        return EXIT_OK

    def rollback(self, previous: str, new: str) -> None:
        r = self.r
        _hold_sigterm()  # a second cancel must not stop the rollback half-way
        self.say(f"rollback  {r.service} -> {revision(previous)}")
        try:
            self.ecs.update_service(cluster=r.cluster, service=r.service, taskDefinition=previous)
            waited = wait_steady(self.ecs, self.cloudwatch, r.cluster, r.service, previous, (), r.steady)
            self.ecs.deregister_task_definition(taskDefinition=new)
        except (StepError, ClientError, BotoCoreError) as error:
            raise RollbackError(
                f"rollback to {revision(previous)} did not complete ({' '.join(str(error).split())}); "
                f"check service {r.service} in cluster {r.cluster} by hand"
            ) from error
        self.say(f"steady    {revision(previous)} at the desired count after {waited:.1f}s")
        self.say(f"removed   {revision(new)} (deregistered)")
        self.say(f"rolled back to {revision(previous)}")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _hold_sigterm() -> None:
    with contextlib.suppress(ValueError):  # not the main thread (the tool used as a library)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def main(argv: Sequence[str] | None = None) -> int:
    def say(line: str) -> None:
        print(line, flush=True)

    try:
        request, session = parse(sys.argv[1:] if argv is None else argv)
        signal.signal(signal.SIGTERM, _interrupt)
        ecs = boto3.client("ecs", **session)
        cloudwatch = boto3.client("cloudwatch", **session)
        return Deployer(request, ecs, cloudwatch, say).run()
    except BadInputError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    except RollbackError as error:
        return _fail(str(error), EXIT_INTERNAL)
    except (StepError, ClientError, BotoCoreError) as error:
        return _fail(f"deployment failed before any change: {error}", EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("interrupted before any change", EXIT_FAILED)
    except Exception as error:  # a bug must still be one line and a distinct exit code
        return _fail(f"internal: {type(error).__name__}: {error}", EXIT_INTERNAL)


def _fail(message: str, code: int) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
