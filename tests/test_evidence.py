"""The evidence bundle of an env: its files, their reproducibility (SOURCE_DATE_EPOCH fixed gives
byte-identical bundles, PDF included), the PDF an auditor reads, the HTML's self-containment, controls.csv,
the manifest, and checkov's second opinion."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pypdf
import pytest

from compliance.cli import main
from compliance.evidence import bundle, checkov, controls, html, manifest, pdf
from compliance.evidence.bundle import write_env
from compliance.evidence.report import Report, RunInfo
from compliance.evidence.sign import SIGNING_KEY_ENV
from compliance.frameworks import catalog
from compliance.model import Finding, InputError, Origin, Severity, Source, Status
from compliance.rules import RULES
from tests.support.fixture_plan import build_plan, fixture_dirs

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"
GENERATED_AT = "2023-11-14T22:13:20Z"
FILES = {
    "index.html",
    "report.pdf",
    "findings.json",
    "results.sarif",
    "junit.xml",
    "controls.csv",
    "manifest.json",
}


def copy_env(destination: Path, env: str = "staging") -> Path:
    """The env root with the modules it calls, outside git, so commit and dirty state cannot change
    between two runs while other work is committed. Scan it from `destination` (the HCL loader follows
    modules only inside the git work tree or the working directory)."""
    shutil.copytree(
        ROOT / "terraform",
        destination / "terraform",
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", "*.tfplan", "emulator_override.tf"),
    )
    return destination / "terraform" / "envs" / env


@pytest.fixture(scope="module")
def env_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_env(tmp_path_factory.mktemp("src"))


@pytest.fixture(scope="module")
def bundles(env_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same env's bundle twice: in-process, then through the CLI (PDF rendered in its worker)."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(env_dir.parents[2])
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.delenv(SIGNING_KEY_ENV, raising=False)
        write_env(env_dir, None, first)
        code = main(["evidence", str(env_dir), "--output-dir", str(second), "--no-plan"])
    assert code == 0
    return first / "staging", second / "staging"


def test_bundle_holds_the_documents_and_its_manifest(bundles: tuple[Path, Path]) -> None:
    folder = bundles[0]
    assert {p.name for p in folder.iterdir()} == FILES
    document = json.loads((folder / "manifest.json").read_text())
    assert set(document["files"]) == FILES - {"manifest.json"}
    for name, entry in document["files"].items():
        assert entry["sha256"] == manifest.sha256_file(folder / name)
    assert document["generated_at"] == GENERATED_AT
    assert document["env"] == "staging"
    assert document["plan_sha256"] is None
    assert [i["kind"] for i in document["inputs"]] == ["hcl"]
    assert document["signature"] is None
    assert document["tool_version"]


def test_two_runs_with_source_date_epoch_are_byte_identical(bundles: tuple[Path, Path]) -> None:
    first, second = bundles
    for name in sorted(FILES):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_pdf_is_paginated_with_contents_and_reads_as_the_report(bundles: tuple[Path, Path]) -> None:
    reader = pypdf.PdfReader(bundles[0] / "report.pdf")
    pages = len(reader.pages)
    assert pages >= 5
    texts = [page.extract_text() for page in reader.pages]
    assert "Compliance evidence: staging" in texts[0]
    assert "Contents" in texts[0]
    assert f"page 1 of {pages}" in texts[0]
    assert f"page {pages} of {pages}" in texts[-1]
    whole = " ".join(" ".join(texts).split())
    for expected in ("HIPAA controls", "PIPEDA controls", "Violations", "164.316(b)(2)(i)", "6 years"):
        assert expected in whole
    compact = "".join(whole.split())  # a control id may wrap inside its table cell
    for framework in catalog():
        for control in framework.controls:
            assert control.id in compact, control.id
    outline = _titles(reader.outline)
    assert outline[0] == "Compliance evidence: staging"
    assert {"HIPAA controls", "PIPEDA controls", "Violations", "Retention"} <= set(outline)
    assert reader.metadata is not None
    assert str(reader.metadata.get("/CreationDate", "")).startswith("D:20231114221320")


def _titles(outline: Sequence[object]) -> list[str]:
    """Bookmark titles, depth first (nested lists are sub-bookmarks)."""
    titles: list[str] = []
    for item in outline:
        titles.extend(_titles(item) if isinstance(item, list) else [str(getattr(item, "title", ""))])
    return titles


def test_html_is_self_contained_and_complete(bundles: tuple[Path, Path]) -> None:
    page = (bundles[0] / "index.html").read_text()
    for remote in ("<script", "<link", 'src="http', "src='http", "url(http", "@import"):
        assert remote not in page
    assert page.count("<svg") == 2  # control status per framework, findings per rule family
    assert "MANUAL" in page and "Security Officer" in page  # manual controls name who attests
    assert "164.316(b)(2)(i)" in page
    assert "Passing resources" in page  # the HTML lists every passing resource; the PDF does not


def test_controls_csv_has_one_row_per_framework_control(bundles: tuple[Path, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO((bundles[0] / "controls.csv").read_text())))
    expected = {(fw.name, c.id) for fw in catalog() for c in fw.controls}
    assert {(r["framework"], r["control"]) for r in rows} == expected
    assert len(rows) == len(expected)
    assert {r["status"] for r in rows} <= set(controls.CONTROL_STATUSES)
    manual = [r for r in rows if r["mode"] == "manual"]
    assert manual and all(r["status"] == "manual" and r["attested_by"] for r in manual)


def test_findings_json_is_the_scan_json(bundles: tuple[Path, Path]) -> None:
    document = json.loads((bundles[0] / "findings.json").read_text())
    assert {"metadata", "summary", "findings"} <= set(document)
    assert document["findings"]


def _finding(rule_id: str, status: Status) -> Finding:
    return Finding(
        rule_id=rule_id,
        title="t",
        status=status,
        severity=Severity.HIGH,
        resource="aws_x.y",
        source=Source("main.tf", 1),
        controls={},
        message="m",
        remediation="r",
        origin=Origin.HCL,
    )


def test_control_status_is_the_worst_of_its_rules_and_never_pass_without_evidence() -> None:
    hipaa = next(fw for fw in catalog() if fw.name == "HIPAA")
    encryption = next(c for c in hipaa.controls if c.id == "164.312(a)(2)(iv)")
    rule_ids = [r.id for r in RULES if encryption.id in r.controls.get("HIPAA", ())]
    cases: tuple[tuple[list[Finding], str], ...] = (
        ([], controls.NO_EVIDENCE),
        ([_finding(rule_ids[0], Status.PASS)], "pass"),
        ([_finding(rule_ids[0], Status.PASS), _finding(rule_ids[-1], Status.WAIVED)], "waived"),
        ([_finding(rule_ids[0], Status.UNKNOWN), _finding(rule_ids[-1], Status.WAIVED)], "unknown"),
        ([_finding(rule_ids[0], Status.UNKNOWN), _finding(rule_ids[-1], Status.FAIL)], "fail"),
    )
    for findings, expected in cases:
        summary = controls.summarise([hipaa], RULES, findings)
        status = next(c.status for c in summary[0].controls if c.control.id == encryption.id)
        assert status == expected, findings


def test_pdf_fetches_nothing_remote() -> None:
    import weasyprint.urls

    html = '<html><head><title>x</title></head><body><img src="http://192.0.2.1/x.png"></body></html>'
    with pytest.raises(weasyprint.urls.FatalURLFetchingError):
        pdf.render_pdf(html)


def test_checkov_map_names_rules_and_controls_that_exist() -> None:
    rule_ids = {r.id for r in RULES}
    known = {(fw.name, c.id) for fw in catalog() for c in fw.controls}
    table = checkov._table()
    assert table
    for check_id, entry in table.items():
        assert check_id.startswith(("CKV_AWS_", "CKV2_AWS_")), check_id
        assert ("rule" in entry) != ("controls" in entry), check_id
        if "rule" in entry:
            assert entry["rule"] in rule_ids, check_id
        for fw, ids in entry.get("controls", {}).items():
            assert {(fw, i) for i in ids} <= known, check_id
    mapped = checkov.correspondence(RULES)
    assert mapped["CKV_AWS_42"].rule_id == "ENC001"
    assert mapped["CKV_AWS_42"].controls["HIPAA"] == ("164.312(a)(2)(iv)",)


def test_checkov_runs_as_a_labelled_second_opinion(tmp_path: Path) -> None:
    executable = checkov.executable()
    if executable is None:
        pytest.skip("checkov is not installed (make setup creates .venv-checkov; CHECKOV names it)")
    root = tmp_path / "root"
    shutil.copytree(ROOT / "compliance/rules/ENC001_efs_encrypted/fixtures", root)
    report = checkov.finish(checkov.start(executable, root), RULES, tmp_path)
    assert report.error == ""
    assert report.version.count(".") == 2
    failed = {(r.check_id, r.resource) for r in report.results if r.result == "failed"}
    assert ("CKV_AWS_184", "aws_efs_file_system.fail_default") in failed
    assert all(r.rule_id == "ENC001" for r in report.results if r.check_id in ("CKV_AWS_42", "CKV_AWS_184"))
    assert all(not Path(r.file).is_absolute() for r in report.results)


def test_checkov_failure_is_reported_not_raised(tmp_path: Path) -> None:
    report = checkov.finish(checkov.start(None, tmp_path), RULES, tmp_path)
    assert report.results == () and "not found" in report.error


def test_plans_default_to_build_plan_and_can_be_named_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    envs = [Path("terraform/envs/staging"), Path("terraform/envs/prod")]
    (tmp_path / "build" / "plan").mkdir(parents=True)
    (tmp_path / "build" / "plan" / "staging.json").write_text("{}")
    assert bundle._plans(envs, [], no_plan=False) == {"staging": Path("build/plan/staging.json")}
    assert bundle._plans(envs, ["prod=p.json"], no_plan=False)["prod"] == Path("p.json")
    assert bundle._plans(envs, [], no_plan=True) == {}
    with pytest.raises(InputError, match="ENV=PLAN_JSON"):
        bundle._plans(envs, ["p.json"], no_plan=False)


def test_bundle_with_a_plan_records_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path, terraform_env: dict[str, str]
) -> None:
    """The real staging plan when `make plan` made it, else the offline plan of the rule fixtures."""
    plan = repo_root / "build" / "plan" / "staging.json"
    if not plan.is_file():
        plan = build_plan(
            fixture_dirs(repo_root / "compliance" / "rules"),
            repo_root / "build" / "fixture-plan",
            terraform_env,
        )
    env = copy_env(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    report = write_env(env, plan, tmp_path / "out")
    document = json.loads((tmp_path / "out" / "staging" / "manifest.json").read_text())
    assert document["plan_sha256"] == manifest.sha256_file(plan)
    assert [i["kind"] for i in document["inputs"]] == ["hcl", "plan"]
    assert document["terraform_version"] == json.loads(plan.read_text())["terraform_version"]
    assert any(f.origin is Origin.PLAN for f in report.findings)
    assert document["plan_sha256"] in (tmp_path / "out" / "staging" / "index.html").read_text()


def test_a_folder_that_is_not_a_bundle_is_never_replaced(tmp_path: Path) -> None:
    folder, staging = tmp_path / "staging", tmp_path / ".staging.partial"
    folder.mkdir()
    (folder / "keep.txt").write_text("not evidence")
    staging.mkdir()
    with pytest.raises(InputError, match="not an evidence bundle"):
        bundle._swap(staging, folder)
    assert (folder / "keep.txt").is_file() and not staging.exists()


def test_report_text_is_escaped() -> None:
    hostile = dataclasses.replace(_finding("ENC001", Status.FAIL), message="<script>alert(1)</script>")
    run = RunInfo("staging", GENERATED_AT, "0.1.0", None, None, (), None, {})
    summary = controls.summarise(catalog(), RULES, [hostile])
    page = html.render(Report(run, RULES, (hostile,), summary))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
