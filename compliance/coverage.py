"""Findings about what a scan could not read: a module call it could not follow is one `unknown`.

Not a rule folder (it has no pass/fail fixtures: a plan always holds every module's resources); the
scan adds it only when an input has such a call, so its resources are never silently missing.
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
