"""index.html and the HTML that report.pdf is rendered from: one env's report, self-contained (inline
CSS and SVG, no remote asset).

One function renders both, so they cannot disagree: print rules (@page, table-of-contents page numbers)
live in the inline CSS. `detail` (index.html) adds what would make the PDF slow to lay out and long to
read: every passing resource per rule, the controls' full requirement text, each rule's controls and
links from controls to rules. Every control, rule, violation and waiver is in both. Rules and violations
are lines, not table rows: WeasyPrint lays out a paragraph several times faster than a table row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from compliance.evidence.charts import COLOURS, stacked_bars
from compliance.evidence.controls import CONTROL_STATUSES, PRECEDENCE, FrameworkStatus, family_counts
from compliance.evidence.report import RETENTION_NOTE, CheckovReport, CheckovResult, Report
from compliance.evidence.sections import checkov_reason, control_resources, inventory_rows, scope
from compliance.formats.summary import location
from compliance.frameworks import Control
from compliance.frameworks.documents import describe
from compliance.model import Finding, Rule, Status

CSS = """
body { font-family: "DejaVu Sans Condensed", "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt;
  color: #1a1a1a; max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.3; }
h1 { font-size: 17pt; margin-bottom: .2rem; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 1.4rem; }
h3 { font-size: 10.5pt; margin: .9rem 0 .2rem; }
p { margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .7rem; font-size: 8pt; table-layout: fixed; }
th, td { border: 1px solid #bbb; padding: 1px 3px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; } tr { page-break-inside: avoid; } thead { display: table-header-group; }
.badge { padding: 0 3px; border-radius: 2px; color: #fff; font-size: 7pt; font-weight: bold; }
.note { border-left: 4px solid #1565c0; background: #eef4fb; padding: .4rem .6rem; }
.muted { color: #555; } nav a { text-decoration: none; color: #0b3d91; }
.finding { margin: 0 0 .15rem 0; font-size: 8pt; page-break-inside: avoid; }
svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 15mm 12mm;
  @top-left { content: "NoteGen AI APIs: compliance evidence"; font-size: 7pt; color: #555; }
  @top-right { content: string(env); font-size: 7pt; color: #555; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 7pt; color: #555; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  h1 { string-set: env content(); }
  h2.page { page-break-before: always; }
  nav a::after { content: leader(".") " " target-counter(attr(href), page); }
}
"""

STATUS_LABEL = {"no evidence": "NO EVIDENCE", "manual": "MANUAL"}


def render(report: Report, detail: bool = True) -> str:
    """The complete HTML document for one env; `detail` adds every passing resource (index.html)."""
    run = report.run
    # (id, title, content, starts a new page in print)
    sections = [
        ("scope", "Scope and executive summary", scope(report), False),
        ("summary", "Summary", _summary(report), False),
        ("retention", "Retention", f'<p class="note">{escape(RETENTION_NOTE)}</p>', False),
        ("run", "Run metadata", _run(report), False),
        # The frameworks follow the short opening sections: none may leave a near-empty page.
        *(
            (
                f"fw-{fw.framework.name.lower()}",
                f"{fw.framework.name} controls",
                _framework(fw, detail, report.findings),
                False,
            )
            for fw in report.summary
        ),
        ("rules", "Rules", _rules(report.rules, report.findings, detail), True),
        ("violations", "Violations", _violations(report.rules, report.findings, run.plan_sha256), True),
        *(
            [("passing", "Passing resources", _passing(report.rules, report.findings), True)]
            if detail
            else []
        ),
        ("waivers", "Waivers", _waivers(report.findings), False),
        ("inventory", "Resource inventory", _inventory(report.findings), True),
        # A page of its own only when checkov ran: its one-line absence would otherwise fill a page alone.
        (
            "checkov",
            "Second opinion: checkov",
            _checkov(report.checkov, report.findings),
            report.checkov is not None,
        ),
    ]
    toc = "".join(f'<li><a href="#{sid}">{escape(title)}</a></li>' for sid, title, _, _ in sections)
    body = "".join(
        f'<h2 id="{sid}"{_page_break(new_page)}>{escape(title)}</h2>\n{content}\n'
        for sid, title, content, new_page in sections
    )
    title = f"Compliance evidence: {run.env}"
    dirty = " (working tree modified)" if run.git_dirty else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>\n'
        f'<meta name="dcterms.created" content="{escape(run.generated_at)}">\n'
        '<meta name="generator" content="notegen-compliance">\n'
        f"<style>{CSS}</style></head><body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="muted">Generated {escape(run.generated_at)} by notegen-compliance '
        f"{escape(run.tool_version)} from commit {escape(run.git_commit or 'unknown')}{dirty}; "
        f"plan sha256 {escape(run.plan_sha256 or 'none (HCL only)')}.</p>\n"
        f"<nav><h3>Contents</h3><ol>{toc}</ol></nav>\n{body}</body></html>\n"
    )


def _page_break(new_page: bool) -> str:
    """Long sections start a page in print; short ones follow on."""
    return ' class="page"' if new_page else ""


def badge(status: str) -> str:
    return (
        f'<span class="badge" style="background:{COLOURS.get(status, "#777")}">'
        f"{escape(STATUS_LABEL.get(status, status.upper()))}</span>"
    )


def _table(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[str]]) -> str:
    """A fixed-layout table of pre-escaped cells; columns are (header, width in percent)."""
    cols = "".join(f'<col style="width:{width}%">' for _, width in columns)
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary(report: Report) -> str:
    control_rows = {
        fw.framework.name: {s: fw.count(s) for s in CONTROL_STATUSES if fw.count(s)} for fw in report.summary
    }
    counts = {s.value: sum(1 for f in report.findings if f.status is s) for s in Status}
    width = 60 // len(CONTROL_STATUSES)
    table = _table(
        [
            ("framework", 16),
            *((s, width) for s in CONTROL_STATUSES),
            ("controls", 84 - width * len(CONTROL_STATUSES)),
        ],
        (
            [escape(fw.framework.name), *(str(fw.count(s)) for s in CONTROL_STATUSES), str(len(fw.controls))]
            for fw in report.summary
        ),
    )
    findings_line = ", ".join(f"{n} {s}" for s, n in counts.items())
    return (
        f"<p>{len(report.findings)} findings (one per rule, resource and input) over {len(report.rules)} "
        f"rules: {escape(findings_line)}.</p>"
        f"<h3>Control status per framework</h3>{stacked_bars(control_rows, CONTROL_STATUSES)}{table}"
        "<h3>Findings per rule family</h3>"
        f"{stacked_bars(family_counts(report.findings), PRECEDENCE)}"
    )


def _framework(fw: FrameworkStatus, detail: bool, findings: Sequence[Finding]) -> str:
    rows = (
        [
            escape(item.control.id),
            f"<b>{escape(item.control.title)}</b>" + (f"<br>{escape(item.control.text)}" if detail else ""),
            badge(item.status)
            + "<br>"
            + escape(", ".join(f"{n} {s}" for s, n in item.counts.items()))
            + (f"<br>{escape(control_resources(item, findings))}" if item.rules else ""),
            " ".join(_rule_ref(r, detail) for r in item.rules) or _attestation(item.control),
        ]
        for item in fw.controls
    )
    intro = (
        f'<p class="muted">{escape(fw.framework.title)}: {escape(fw.framework.url)}. A control is automated '
        "(its rules listed, its status the worst of their findings) or MANUAL (who attests is named).</p>"
    )
    return intro + _table(
        [("control", 15), ("requirement", 43), ("status and findings", 17), ("rules (or who attests)", 25)],
        rows,
    )


def _attestation(control: Control) -> str:
    """Who attests a manual control, and the documents (with review dates) the attestation rests on."""
    documents = "".join(f"<br>{escape(describe(path))}" for path in control.documents)
    return escape(control.attested_by) + documents


def _rule_ref(rule_id: str, link: bool) -> str:
    """A rule id, linked to its line in index.html (hundreds of links cost the PDF ~0.15 s: plain there)."""
    return f'<a href="#rule-{escape(rule_id)}">{escape(rule_id)}</a>' if link else escape(rule_id)


def _rules(rules: Sequence[Rule], findings: Sequence[Finding], detail: bool) -> str:
    """One line per rule (lines lay out far faster than table rows in the PDF); controls in index.html."""
    counts: dict[str, dict[str, int]] = {}
    for finding in findings:
        per_rule = counts.setdefault(finding.rule_id, {})
        per_rule[finding.status.value] = per_rule.get(finding.status.value, 0) + 1
    lines = []
    for rule in rules:
        tally = ", ".join(f"{n} {s}" for s in PRECEDENCE if (n := counts.get(rule.id, {}).get(s, 0)))
        mapped = f"; {escape(_controls_text(rule.controls))}" if detail else ""
        lines.append(
            f'<p class="finding" id="rule-{escape(rule.id)}"><b>{escape(rule.id)}</b> {escape(rule.title)} '
            f'<span class="muted">({escape(rule.severity.value)}{mapped})</span>: {escape(tally or "no resource")}</p>'
        )
    return "".join(lines)


def _merged(findings: Iterable[Finding]) -> list[tuple[Finding, str]]:
    """Findings with the same rule, resource, status and message from several inputs (HCL and plan) as
    one row with their origins."""
    merged: dict[tuple[str, str, str, str], tuple[Finding, list[str]]] = {}
    for f in findings:
        key = (f.rule_id, f.resource, f.status.value, f.message)
        _, origins = merged.setdefault(key, (f, []))
        if f.origin.value not in origins:
            origins.append(f.origin.value)
    return [(f, "+".join(origins)) for f, origins in merged.values()]


def _violations(rules: Sequence[Rule], findings: Sequence[Finding], plan_sha256: str | None) -> str:
    failing = [f for f in findings if f.failing]
    parts = [
        f"<p>{len(failing)} findings fail or are unknown (unknown fails closed: a value that cannot be "
        "known before apply is not taken as compliant). Each line: status, resource, file:line in the "
        "Terraform source, the input that showed it (hcl, or plan: the plan with sha256 "
        f"{escape(plan_sha256 or '(none)')}) and the message.</p>"
    ]
    for rule in rules:
        rows = sorted(_merged(f for f in failing if f.rule_id == rule.id), key=lambda m: _worst_first(m[0]))
        if not rows:
            continue
        parts.append(
            f"<h3>{escape(rule.id)}: {escape(rule.title)}</h3>"
            f"<p>Remediation: {escape(rule.remediation)}</p>"
            + "".join(
                f'<p class="finding">{badge(f.status.value)} <b>{breakable(f.resource)}</b> '
                f"{breakable(location(f))} ({origin}): {escape(f.message)}</p>"
                for f, origin in rows
            )
        )
    if not failing:
        parts.append("<p>No violation.</p>")
    return "".join(parts)


def _passing(rules: Sequence[Rule], findings: Sequence[Finding]) -> str:
    parts = ['<p class="muted">Every resource each rule passed, with its location.</p>']
    for rule in rules:
        passed = _merged(f for f in findings if f.rule_id == rule.id and f.status is Status.PASS)
        if passed:
            items = "; ".join(f"{escape(f.resource)} ({escape(location(f))}, {o})" for f, o in passed)
            parts.append(f"<p><b>{escape(rule.id)}</b> ({len(passed)}): {items}</p>")
    return "".join(parts)


def breakable(text: str) -> str:
    """Escaped text that may wrap after dots and slashes (long addresses and paths in narrow space)."""
    return escape(text).replace(".", ".<wbr>").replace("/", "/<wbr>")


def _worst_first(finding: Finding) -> tuple[int, str, str]:
    return (PRECEDENCE.index(finding.status.value), finding.resource, finding.origin.value)


def _waivers(findings: Sequence[Finding]) -> str:
    waived = [(f, f.waiver) for f in findings if f.waiver is not None]
    if not waived:
        return "<p>No finding is waived.</p>"
    rows = (
        [
            escape(f.rule_id),
            escape(f.resource),
            escape(w.justification),
            escape(w.owner),
            escape(w.ticket),
            escape(w.expires),
        ]
        for f, w in waived
    )
    return (
        "<p>Waived findings stay visible with their justification; an expired waiver fails the gate.</p>"
        + _table(
            [
                ("rule", 8),
                ("resource", 27),
                ("justification", 35),
                ("owner", 11),
                ("ticket", 9),
                ("expires", 10),
            ],
            rows,
        )
    )


def _inventory(findings: Sequence[Finding]) -> str:
    rows = inventory_rows(findings)
    intro = (
        f"<p>{len(rows)} resources, each with its worst status and the rules that judged it, from the "
        "Terraform source (hcl) and the plan (plan).</p>"
    )
    return intro + _table([("resource", 38), ("worst", 8), ("rules by status", 44), ("from", 10)], rows)


def _checkov(checkov: CheckovReport | None, findings: Sequence[Finding] = ()) -> str:
    if checkov is None:
        return "<p>checkov was not run for this bundle (evidence --checkov adds it).</p>"
    intro = (
        f"<p><b>These are checkov's results, not ours</b> (checkov {escape(checkov.version)}, run on the "
        "same Terraform root), shown as a second opinion: they fail nothing. Where our correspondence table "
        "(compliance/evidence/checkov_map.yaml) maps a check, our rule and its controls are shown.</p>"
    )
    if checkov.error:
        return intro + f'<p class="note">checkov gave no results: {escape(checkov.error)}</p>'
    counts = ", ".join(f"{checkov.count(k)} {k}" for k in ("passed", "failed", "skipped"))
    by_check: dict[str, list[CheckovResult]] = {}
    for result in checkov.results:
        if result.result == "failed":
            by_check.setdefault(result.check_id, []).append(result)
    rows = (
        [
            escape(check_id),
            escape(found[0].check_name),
            escape(found[0].rule_id or "-"),
            escape(_controls_text(found[0].controls)),
            "<br>".join(
                escape(f"{r.resource} ({r.file}:{r.line}): {checkov_reason(r, findings)}") for r in found
            ),
        ]
        for check_id, found in sorted(by_check.items())
    )
    return (
        intro + f"<p>checkov: {escape(counts)}. Failed checks, each resource with why no rule of ours fails "
        "beside it (covered by a passing rule and why, not applicable, or a gap to review):</p>"
        + _table(
            [("check", 10), ("name", 22), ("our rule", 7), ("controls", 14), ("resources and reasons", 47)],
            rows,
        )
    )


def _controls_text(controls: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{fw} {', '.join(ids)}" for fw, ids in controls.items() if ids)


def _run(report: Report) -> str:
    run = report.run
    rows: list[list[str]] = [
        ["environment", escape(run.env)],
        ["generated at", escape(run.generated_at)],
        [
            "git commit",
            escape(run.git_commit or "unknown") + (" (working tree modified)" if run.git_dirty else ""),
        ],
        ["tool version", escape(run.tool_version)],
        ["terraform version", escape(run.terraform_version or "unknown")],
        *(["provider " + escape(src), escape(ver)] for src, ver in run.providers.items()),
        *(
            [f"input ({escape(i.kind)})", f"{escape(i.path)}<br>sha256 {escape(i.sha256)}"]
            for i in run.inputs
        ),
        ["retention", "6 years (HIPAA 164.316(b)(2)(i))"],
    ]
    return _table([("item", 22), ("value", 78)], rows)
