"""A load-balanced ECS service (the API) sends traces: its task runs an OpenTelemetry collector sidecar, the
served container has an OTLP endpoint, and the task role may write to X-Ray."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from compliance.analysis.policy import Document, allows, grants, identity_policies, read_policy
from compliance.analysis.references import linked, targets
from compliance.analysis.transit import containers, environment
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

COLLECTOR_IMAGE = re.compile(r"(aws-otel|opentelemetry|otel)-collector", re.IGNORECASE)
OTLP_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
XRAY_WRITE = "xray:PutTraceSegments"
# AWS managed policies that grant it (attached by ARN).
XRAY_MANAGED = ("AWSXRayDaemonWriteAccess", "AWSXrayWriteOnlyAccess", "AWSXrayFullAccess")


def _is_collector(container: Mapping[str, Any]) -> bool:
    image = container.get("image")
    return container.get("name") == "otel-collector" or (
        isinstance(image, str) and bool(COLLECTOR_IMAGE.search(image))
    )


def _endpoint(container: Mapping[str, Any]) -> bool | None:
    doubtful = False
    for name, _ in environment(container):
        if name in OTLP_ENDPOINTS:
            return True
        doubtful |= isinstance(name, Unknown)
    return None if doubtful else False


def _role_documents(role: Resource, model: Model) -> list[tuple[str, Document | None]]:
    """The role's policy documents; None stands for an AWS managed X-Ray write policy."""
    keys = (role.values.get("name"), role.values.get("id"))
    found: list[tuple[str, Document | None]] = list(identity_policies(role, model))
    inline, _ = linked(role, model, ("aws_iam_role_policy",), "role", keys)
    found += [(p.address, d) for p in inline for _, d in identity_policies(p, model)]
    attached, _ = linked(role, model, ("aws_iam_role_policy_attachment",), "role", keys)
    for attachment in attached:
        arn = attachment.values.get("policy_arn")
        if isinstance(arn, str) and arn.rsplit("/", 1)[-1] in XRAY_MANAGED:
            found.append((arn, None))
        for policy in targets(arn, model, "aws_iam_policy"):
            document = read_policy(policy.values.get("policy"), model)
            if document is not None:
                found.append((policy.address, document))
    return found


def _xray(task: Resource, model: Model) -> bool | None:
    roles = targets(task.values.get("task_role_arn"), model, "aws_iam_role")
    if not roles:
        return None if task.values.get("task_role_arn") else False
    documents = [entry for role in roles for entry in _role_documents(role, model)]
    if any(document is None for _, document in documents):
        return True  # an AWS managed X-Ray write policy
    answers = [grants(s, XRAY_WRITE) for _, s in allows([(w, d) for w, d in documents if d is not None])]
    return True if any(answers) else (None if None in answers else False)


def _judge(task: Resource, served: set[Any], model: Model) -> tuple[list[str], list[str]]:
    found = containers(task.values.get("container_definitions"))
    if isinstance(found, Unknown):
        return [], [f"{task.address}: container_definitions is not known before apply"]
    found = found or []
    missing, doubts = [], []
    if not any(_is_collector(c) for c in found):
        missing.append("no OpenTelemetry collector container")
    for container in (c for c in found if c.get("name") in served):
        has = _endpoint(container)
        if has is False:
            missing.append(f"{container.get('name')} has no {OTLP_ENDPOINTS[0]}")
        elif has is None:
            doubts.append(f"{container.get('name')}: environment names unknown before apply")
    xray = _xray(task, model)
    if xray is False:
        missing.append(f"the task role may not call {XRAY_WRITE}")
    elif xray is None:
        doubts.append("the task role's policies are not known before apply")
    return missing, doubts


def check(resource: Resource, model: Model) -> Result | None:
    balancers = blocks(resource.values, "load_balancer")
    if isinstance(balancers, Unknown) or not balancers:
        return None if not isinstance(balancers, Unknown) else unknown("load_balancer is not known")
    definition = resource.values.get("task_definition")
    tasks = targets(definition, model, "aws_ecs_task_definition")
    if not tasks:
        return unknown("the task definition is not in the scanned configuration")
    served = {b.get("container_name") for b in balancers}
    missing, doubts = [], []
    for task in tasks:
        more, less = _judge(task, served, model)
        missing += more
        doubts += less
    if missing:
        return failed("; ".join(missing))
    if doubts:
        return unknown("; ".join(doubts))
    return passed("collector sidecar, OTLP endpoint on the served container and X-Ray write on the task role")


RULE = Rule(
    id="MON003",
    title="Load-balanced ECS services export traces through a collector to X-Ray",
    severity=Severity.LOW,
    types=("aws_ecs_service",),
    rationale=(
        "The API behind the load balancer is where PHI requests enter. Without traces an incident "
        "(a slow store, a failing dependency, an unexpected caller) cannot be followed request by request; "
        "HIPAA's activity review expects the system's activity to be recorded and examinable."
    ),
    remediation="Add an OpenTelemetry collector sidecar (e.g. aws-otel-collector pinned by digest) to the "
    "task, set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 on the served container, and allow "
    "xray:PutTraceSegments, xray:PutTelemetryRecords and the sampling reads on the task role.",
    controls={"HIPAA": ("164.312(b)", "164.308(a)(1)(ii)(D)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://aws-otel.github.io/docs/setup/ecs",
)
