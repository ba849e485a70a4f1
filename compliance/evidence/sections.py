"""What the report says beyond the findings themselves: the scope and executive summary, distinct
resources per control (HCL and plan apart, so two views of one resource never read as two resources),
the per-resource inventory, and why checkov fails a check that no rule of ours fails."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from compliance.evidence.controls import ControlStatus
from compliance.evidence.report import CheckovResult, Report, integrity_note
from compliance.model import WORST_FIRST, Finding, Origin, Status


def scope(report: Report) -> str:
    """Which inputs, which env, live or not, when; then the verdict in three sentences."""
    run = report.run
    hcl = [i.path for i in run.inputs if i.kind == "hcl"]
    plans = [i.path for i in run.inputs if i.kind == "plan"]
    live = [i.path for i in run.inputs if i.kind == "live"]
    failing = [f for f in report.findings if f.failing]
    waived = [f for f in report.findings if f.status is Status.WAIVED]
    families = sorted({rule.family for rule in report.rules})
    automated = [(fw.framework.name, [c for c in fw.controls if c.rules]) for fw in report.summary]
    passing = ", ".join(
        f"{sum(1 for c in items if c.status == 'pass')} of {len(items)} automated {name} controls pass"
        for name, items in automated
    )
    verdict = (
        f"{len(failing)} violations (failing or unknown) on {len(_resources(failing))} resources"
        if failing
        else "No violation"
    )
    return (
        f"<p><b>Scope.</b> Environment <b>{escape(run.env)}</b>, judged {escape(run.generated_at)} against "
        f"{len(report.rules)} rules ({escape(', '.join(families))}) from its Terraform source "
        f"({escape(', '.join(hcl) or 'none')}) and its plan ({escape(', '.join(plans) or 'none: HCL only')}). "
        f"{_live_scope(live)}</p>"
        f"<p><b>Executive summary.</b> {escape(passing)}. {escape(verdict)}; {len(waived)} findings waived "
        f"with a recorded justification. {len(_resources(report.findings))} distinct resources were "
        "judged.</p>"
        f'<p class="note">{escape(integrity_note(report.signature))}</p>'
    )


def _live_scope(live: Sequence[str]) -> str:
    if not live:
        return (
            "The deployed infrastructure was not inspected (no live scan): this evidence covers what the "
            "configuration declares, not what runs."
        )
    return (
        f"The deployed infrastructure was inspected too, read-only ({escape(', '.join(live))}): live findings "
        "judge what runs."
    )


def _resources(findings: Iterable[Finding]) -> set[str]:
    return {f.resource for f in findings}


def control_resources(item: ControlStatus, findings: Sequence[Finding]) -> str:
    """ "12 resources (HCL 12, plan 11)": distinct resources the control's rules judged, per source."""
    mine = [f for f in findings if f.rule_id in item.rules]
    hcl = _resources(f for f in mine if f.origin is Origin.HCL)
    plan = _resources(f for f in mine if f.origin is Origin.PLAN)
    return f"{len(hcl | plan)} resources (HCL {len(hcl)}, plan {len(plan)})"


def inventory_rows(findings: Sequence[Finding]) -> list[list[str]]:
    """One row per resource: its worst status, its rules by status, and where it was judged from."""
    by_resource: dict[str, list[Finding]] = {}
    for finding in findings:
        by_resource.setdefault(finding.resource, []).append(finding)
    rows = []
    for address, found in sorted(by_resource.items()):
        worst = next(s for s in WORST_FIRST if any(f.status is s for f in found))
        rules = "; ".join(
            f"{status.value}: {', '.join(sorted({f.rule_id for f in found if f.status is status}))}"
            for status in WORST_FIRST
            if any(f.status is status for f in found)
        )
        origins = ", ".join(sorted({f.origin.value for f in found}))
        rows.append([escape(address), worst.value, escape(rules), escape(origins)])
    return rows


def checkov_reason(result: CheckovResult, findings: Sequence[Finding]) -> str:
    """Why a checkov failure has no failing rule of ours beside it (or that it has one)."""
    if not result.rule_id:
        return "a gap to review: no rule of ours maps to this check (compliance/evidence/checkov_map.yaml)"
    ours = [
        f for f in findings if f.rule_id == result.rule_id and _same_resource(f.resource, result.resource)
    ]
    if any(f.failing for f in ours):
        return f"{result.rule_id} fails too"
    waived = next((f for f in ours if f.status is Status.WAIVED and f.waiver), None)
    if waived is not None and waived.waiver is not None:
        return f"{result.rule_id} fails too, waived: {waived.waiver.justification}"
    if ours:
        return f"covered by {result.rule_id}, which passes because: {ours[0].message}"
    return f"not applicable: {result.rule_id} does not judge this resource (outside its types or conditions)"


def _same_resource(ours: str, theirs: str) -> bool:
    """checkov names module resources without instance keys and sometimes without the module path."""
    bare = ours.split("[", 1)[0]
    return ours == theirs or bare == theirs or bare.endswith("." + theirs)
