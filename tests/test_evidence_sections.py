"""The evidence report's honest parts: signature status (never claimed when absent), scope and executive
summary, distinct resources per control with the HCL/plan split, the inventory, checkov reasons, and
what `evidence` says about signing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.cli import main
from compliance.evidence import controls, html
from compliance.evidence.report import CheckovResult, InputDigest, Report, RunInfo
from compliance.evidence.sections import checkov_reason, control_resources, inventory_rows
from compliance.evidence.sign import SIGNING_KEY_ENV, key_id
from compliance.frameworks import catalog
from compliance.model import Finding, Origin, Status, Waiver
from compliance.rules import RULES
from tests.test_evidence import EPOCH, GENERATED_AT, _finding, copy_env

ENC001 = next(r for r in RULES if r.id == "ENC001")


def findings() -> tuple[Finding, ...]:
    base = dataclasses.replace(_finding("ENC001", Status.PASS), controls=ENC001.controls, message="encrypted")
    return (
        base,
        dataclasses.replace(base, origin=Origin.PLAN),
        dataclasses.replace(base, resource="aws_x.z", status=Status.FAIL, message="plain"),
    )


def report(signature: str = "") -> Report:
    run = RunInfo(
        "staging",
        GENERATED_AT,
        "0.1.0",
        None,
        None,
        (InputDigest("hcl", "envs/staging", "a" * 64),),
        None,
        {},
    )
    found = findings()
    return Report(run, RULES, found, controls.summarise(catalog(), RULES, found), signature=signature)


def test_an_unsigned_report_says_so_and_never_claims_a_signature() -> None:
    page = html.render(report())
    assert "NOT SIGNED" in page and "its signature prove" not in page
    signed = html.render(report("ab" * 32))
    assert f"sha256:{'ab' * 32}" in signed and "NOT SIGNED" not in signed


def test_scope_and_executive_summary() -> None:
    page = html.render(report())
    assert "Environment <b>staging</b>" in page and "envs/staging" in page and "none: HCL only" in page
    assert "no live scan" in page
    assert "1 violations (failing or unknown) on 1 resources" in page
    clean = dataclasses.replace(report(), findings=findings()[:2])
    assert "No violation;" in html.render(clean)
    assert "2 distinct resources were judged" in page


def test_controls_count_distinct_resources_with_the_hcl_plan_split() -> None:
    item = next(c for fw in report().summary for c in fw.controls if "ENC001" in c.rules)
    assert control_resources(item, findings()) == "2 resources (HCL 2, plan 1)"


def test_inventory_has_one_row_per_resource_with_its_worst_status() -> None:
    rows = inventory_rows(findings())
    assert [row[:2] for row in rows] == [["aws_x.y", "pass"], ["aws_x.z", "fail"]]
    assert rows[0][3] == "hcl, plan"


def test_each_checkov_failure_gets_a_reason() -> None:
    def failed(rule_id: str, resource: str) -> CheckovResult:
        return CheckovResult("CKV_AWS_1", "n", "failed", resource, "main.tf", 1, rule_id, {})

    assert checkov_reason(failed("", "aws_x.y"), findings()).startswith("a gap to review")
    assert checkov_reason(failed("ENC001", "aws_x.y"), findings()) == (
        "covered by ENC001, which passes because: encrypted"
    )
    assert checkov_reason(failed("ENC001", "aws_x.z"), findings()) == "ENC001 fails too"
    assert checkov_reason(failed("ENC001", "aws_q.r"), findings()).startswith("not applicable")
    waiver = Waiver("ENC001", "aws_x.z", "scratch", "", "", "")
    waived = (dataclasses.replace(findings()[2], status=Status.WAIVED, waiver=waiver),)
    assert checkov_reason(failed("ENC001", "aws_x.z"), waived) == "ENC001 fails too, waived: scratch"


def test_evidence_states_signing_and_the_pdf_has_the_new_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = copy_env(tmp_path / "src")
    monkeypatch.chdir(env.parents[2])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    assert main(["evidence", str(env), "--output-dir", str(tmp_path / "unsigned"), "--no-plan"]) == 0
    out, err = capsys.readouterr()
    assert "NOT signed" in err and "NOT signed" in out
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    monkeypatch.setenv(SIGNING_KEY_ENV, pem.decode())
    assert main(["evidence", str(env), "--output-dir", str(tmp_path / "signed"), "--no-plan"]) == 0
    out, _ = capsys.readouterr()
    fingerprint = key_id(key.public_key())
    assert f"signed, key sha256:{fingerprint}" in out
    reader = pypdf.PdfReader(tmp_path / "signed" / "staging" / "report.pdf")
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    whole = "".join("".join(texts).split())
    assert fingerprint in whole and "Resourceinventory" in whole and "Executivesummary" in whole
    # no near-empty page: every page but the last carries a fair share of text
    assert all(len(text) > 400 for text in texts[:-1]), (
        [len(t) for t in texts],
        [t[:300] for t in texts if len(t) <= 400],
    )
