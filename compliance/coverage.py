"""Findings about what a scan could not read, each one `unknown`: a module call it could not follow
(SCN001), an applied object the live scan could not describe (SCN002).

Not rule folders (they have no pass/fail fixtures: they judge the scan's reach, not a resource); the scan
adds them only when an input has such a gap, so nothing is silently missing.
"""

from __future__ import annotations

from compliance.model import Model, Resource, Result, Rule, Severity, Status


def check(resource: Resource, model: Model) -> Result:
    source = resource.values.get("source")
    version = resource.values.get("version")
    why = resource.values.get("not_followed") or "its source cannot be followed"
    pinned = f" version {version!r}" if isinstance(version, str) else ""
    return Result(
        Status.UNKNOWN,
        f"module call {resource.name!r} (source {source!r}{pinned}) is not followed: {why}; "
        "its resources are not judged",
    )


MODULE_NOT_FOLLOWED = Rule(
    id="SCN001",
    title="Every module call is followed into its source",
    severity=Severity.HIGH,
    types=("module",),
    rationale="Resources of a module the scanner cannot read are not judged at all; an unread module "
    "could hold unencrypted or public PHI stores, so the gate fails closed until it is read.",
    remediation="Run terraform init in the root (the scan then follows .terraform/modules/modules.json), "
    "or scan the root's plan (terraform show -json) with --plan.",
    controls={"HIPAA": ("164.308(a)(1)(ii)(D)",), "PIPEDA": ("4.7",)},
    check=check,
)


def check_gap(resource: Resource, model: Model) -> Result:
    kind = resource.values.get("type")
    return Result(Status.UNKNOWN, f"{kind} not judged live: {resource.values.get('reason')}")


LIVE_GAP = Rule(
    id="SCN002",
    title="Every applied resource is described live",
    severity=Severity.HIGH,
    types=("live_gap",),
    rationale="A live scan judges what is deployed; an applied object it cannot describe (gone, or of a "
    "type no live describer reads) would otherwise pass unseen.",
    remediation="Re-apply or remove the resource from the state if it is gone; otherwise scan the plan and "
    "HCL of the root for that type.",
    controls={"HIPAA": ("164.308(a)(1)(ii)(D)",), "PIPEDA": ("4.7",)},
    check=check_gap,
)
