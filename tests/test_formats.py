"""Each report format over one hand-built ScanResult: exact shapes, determinism, no lost status."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from compliance.formats import FORMATS, json_report, junit, markdown, sarif, text
from compliance.model import Finding, InputError, Origin, Rule, Severity, Source, Status, Waiver, passed
from compliance.scan import ScanInput, ScanResult, generated_at


def _rule(rule_id: str, severity: Severity, controls: dict[str, tuple[str, ...]]) -> Rule:
    return Rule(
        id=rule_id,
        title=f"Title of {rule_id}",
        severity=severity,
        types=("aws_x",),
        rationale=f"Why {rule_id}",
        remediation=f"Fix {rule_id} | now",
        controls=controls,
        check=lambda resource, model: passed("ok"),
        help_uri=f"https://docs.aws.amazon.com/{rule_id}",
    )


ENC = _rule("ENC001", Severity.HIGH, {"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")})
RES = _rule("RES001", Severity.CRITICAL, {"PIPEDA": ("4.1.3",)})
WAIVER = Waiver("ENC001", "aws_x.waived", "Accepted until migration", "platform", "SEC-9", "2026-12-31")


def _finding(
    rule: Rule, resource: str, status: Status, source: Source, origin: Origin = Origin.HCL
) -> Finding:
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        status=status,
        severity=rule.severity,
        resource=resource,
        source=source,
        controls=rule.controls,
        message=f"{resource} is {status.value}\x01",
        remediation=rule.remediation,
        origin=origin,
    )


FINDINGS = (
    _finding(ENC, "aws_x.fail", Status.FAIL, Source("envs/staging/main.tf", 12)),
    _finding(ENC, "aws_x.pass", Status.PASS, Source("envs/staging/main.tf", 20)),
    dataclasses.replace(
        _finding(ENC, "aws_x.waived", Status.WAIVED, Source("envs/staging/main.tf", 30)), waiver=WAIVER
    ),
    _finding(RES, "provider.aws.us", Status.UNKNOWN, Source("build/plan.json", 0), Origin.PLAN),
)

RESULT = ScanResult(
    inputs=(ScanInput("envs/staging", "hcl", "a" * 64), ScanInput("build/plan.json", "plan", "b" * 64)),
    rules=(ENC, RES),
    findings=FINDINGS,
    generated_at="2026-01-01T00:00:00Z",
    version="0.1.0",
)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_deterministic_text(name: str) -> None:
    first = FORMATS[name](RESULT)
    assert isinstance(first, str) and first == FORMATS[name](RESULT) and first.endswith("\n")


def test_json_exact_shape() -> None:
    document = json.loads(json_report.render(RESULT))
    assert set(document) == {"metadata", "summary", "findings"}
    assert document["metadata"] == {
        "tool": "notegen-compliance",
        "version": "0.1.0",
        "generated_at": "2026-01-01T00:00:00Z",
        "inputs": [
            {"path": "envs/staging", "kind": "hcl", "sha256": "a" * 64},
            {"path": "build/plan.json", "kind": "plan", "sha256": "b" * 64},
        ],
        "rules": 2,
    }
    summary = document["summary"]
    assert summary["total"] == 4
    assert summary["by_status"] == {"pass": 1, "fail": 1, "unknown": 1, "waived": 1}
    assert summary["by_rule"] == {
        "ENC001": {"pass": 1, "fail": 1, "unknown": 0, "waived": 1},
        "RES001": {"pass": 0, "fail": 0, "unknown": 1, "waived": 0},
    }
    assert summary["by_control"]["HIPAA"] == {
        "164.312(a)(2)(iv)": {"pass": 1, "fail": 1, "unknown": 0, "waived": 1}
    }
    assert summary["by_control"]["PIPEDA"]["4.1.3"] == {"pass": 0, "fail": 0, "unknown": 1, "waived": 0}
    waived = document["findings"][2]
    assert waived == {
        "id": FINDINGS[2].id,
        "rule_id": "ENC001",
        "title": "Title of ENC001",
        "status": "waived",
        "severity": "high",
        "resource": "aws_x.waived",
        "source": {"file": "envs/staging/main.tf", "line": 30},
        "controls": {"HIPAA": ["164.312(a)(2)(iv)"], "PIPEDA": ["4.7.1", "4.7.3"]},
        "message": "aws_x.waived is waived\x01",
        "remediation": "Fix ENC001 | now",
        "origin": "hcl",
        "waiver": {
            "rule": "ENC001",
            "resource": "aws_x.waived",
            "justification": "Accepted until migration",
            "owner": "platform",
            "ticket": "SEC-9",
            "expires": "2026-12-31",
        },
    }
    assert document["findings"][3]["controls"] == {"HIPAA": [], "PIPEDA": ["4.1.3"]}
    assert [f["status"] for f in document["findings"]] == ["fail", "pass", "waived", "unknown"]


def test_json_keys_are_sorted() -> None:
    rendered = json_report.render(RESULT)
    assert rendered == json.dumps(json.loads(rendered), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_generated_at_honours_source_date_epoch() -> None:
    assert generated_at({"SOURCE_DATE_EPOCH": "1767225600"}) == "2026-01-01T00:00:00Z"
    assert generated_at({}).endswith("Z")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        generated_at({"SOURCE_DATE_EPOCH": "yesterday"})


# The parts of the OASIS SARIF 2.1.0 schema this report uses, with additionalProperties closed so a
# misspelt or misplaced property fails (the full schema is not vendored here).
_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs", "$schema"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "additionalProperties": False,
                "properties": {
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "originalUriBaseIds": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["uri"],
                            "properties": {"uri": {"type": "string", "pattern": "^file:///.*/$"}},
                        },
                    },
                    "automationDetails": {
                        "type": "object",
                        "required": ["id"],
                        "additionalProperties": False,
                        "properties": {"id": {"type": "string", "pattern": "/$"}},
                    },
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "additionalProperties": False,
                        "properties": {"driver": {"$ref": "#/definitions/driver"}},
                    },
                    "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                },
            },
        },
    },
    "definitions": {
        "driver": {
            "type": "object",
            "required": ["name", "version", "informationUri", "rules"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "informationUri": {"type": "string", "pattern": "^https://"},
                "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}},
            },
        },
        "rule": {
            "type": "object",
            "required": ["id", "name", "shortDescription", "fullDescription", "help", "properties"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
                "shortDescription": _TEXT,
                "fullDescription": _TEXT,
                "help": {
                    "type": "object",
                    "required": ["text", "markdown"],
                    "additionalProperties": False,
                    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}},
                },
                "helpUri": {"type": "string", "pattern": "^https?://"},
                "defaultConfiguration": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
                },
                "properties": {
                    "type": "object",
                    "required": ["tags", "security-severity"],
                    "properties": {
                        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                        "security-severity": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
                    },
                },
            },
        },
        "result": {
            "type": "object",
            "required": ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"],
            "additionalProperties": False,
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": 0},
                "level": {"enum": ["warning", "error"]},
                "message": _TEXT,
                "locations": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["physicalLocation"],
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": ["uri"],
                                        "properties": {
                                            "uri": {"type": "string", "pattern": "^[^/]"},
                                            "uriBaseId": {"type": "string"},
                                        },
                                    },
                                    "region": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": ["startLine"],
                                        "properties": {
                                            "startLine": {"type": "integer", "minimum": 1},
                                            "endLine": {"type": "integer", "minimum": 1},
                                        },
                                    },
                                },
                            },
                            "logicalLocations": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "properties": {
                                        "fullyQualifiedName": {"type": "string"},
                                        "kind": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
                "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                "suppressions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["kind"],
                        "properties": {
                            "kind": {"enum": ["inSource", "external"]},
                            "status": {"enum": ["accepted", "underReview", "rejected"]},
                            "justification": {"type": "string"},
                        },
                    },
                },
                "properties": {"type": "object"},
            },
        },
    },
}


def test_sarif_structure_and_content() -> None:
    document = json.loads(sarif.render(RESULT))
    jsonschema.validate(document, SARIF_SUBSET)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ENC001", "RES001"]
    assert rules[0]["properties"]["security-severity"] == "8.0"
    assert rules[1]["properties"]["security-severity"] == "9.5"
    assert "PIPEDA 4.7.1" in rules[0]["properties"]["tags"]
    results = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r
        for r in run["results"]
    }
    assert set(results) == {
        ("ENC001", "aws_x.fail"),
        ("ENC001", "aws_x.waived"),
        ("RES001", "provider.aws.us"),
    }
    failing = results[("ENC001", "aws_x.fail")]
    assert failing["level"] == "error" and failing["ruleIndex"] == 0
    assert failing["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert failing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "envs/staging/main.tf"
    unknown = results[("RES001", "provider.aws.us")]
    assert unknown["level"] == "warning"
    assert unknown["locations"][0]["physicalLocation"]["region"]["startLine"] == 1  # plan input: line 0
    assert results[("ENC001", "aws_x.waived")]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "Accepted until migration"}
    ]
    assert "suppressions" not in failing


def test_sarif_fingerprints_survive_message_changes() -> None:
    changed = dataclasses.replace(RESULT, findings=(dataclasses.replace(FINDINGS[0], message="other"),))
    before = json.loads(sarif.render(RESULT))["runs"][0]["results"][0]["partialFingerprints"]
    after = json.loads(sarif.render(changed))["runs"][0]["results"][0]["partialFingerprints"]
    assert before == after


def test_sarif_uri_is_relative_to_the_repository_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "envs").mkdir()
    monkeypatch.chdir(repo / "envs")
    root = sarif.git_root(Path.cwd())
    assert root == repo.resolve()
    assert sarif.uri(str(repo / "env dir" / "main.tf"), root) == ("env%20dir/main.tf", "%SRCROOT%")
    assert sarif.uri("staging/main.tf", root) == ("envs/staging/main.tf", "%SRCROOT%")
    outside = tmp_path / "elsewhere.tf"
    assert sarif.uri(str(outside), root) == (outside.resolve().as_uri(), "")


def test_sarif_names_its_base_and_its_category(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs" / "staging").mkdir(parents=True)
    (tmp_path / "envs" / "staging" / "main.tf").write_text(
        "\n" * 11 + 'resource "aws_x" "fail" {\n  a = "}"\n}\n'
    )
    run = json.loads(sarif.render(RESULT, repo_root=tmp_path))["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
    assert run["automationDetails"]["id"] == "notegen-compliance:envs/staging+build/plan.json/"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "endLine": 14}


def test_junit() -> None:
    root = ET.fromstring(junit.render(RESULT))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("4", "2", "1")
    cases = root.findall("./testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("ENC001", "aws_x.fail"),
        ("ENC001", "aws_x.pass"),
        ("ENC001", "aws_x.waived"),
        ("RES001", "provider.aws.us"),
    ]
    failure = cases[0].find("failure")
    assert failure is not None and "envs/staging/main.tf:12" in (failure.text or "")
    assert "Fix ENC001" in (failure.text or "") and "\x01" not in (failure.get("message") or "")
    assert cases[1].find("failure") is None and cases[1].find("skipped") is None
    skipped = cases[2].find("skipped")
    assert skipped is not None and skipped.get("message") == "waived: Accepted until migration"
    assert cases[3].find("failure") is not None


def test_markdown() -> None:
    rendered = markdown.render(RESULT)
    assert "| fail | 1 |" in rendered and "| waived | 1 |" in rendered
    assert "## Failing findings (2)" in rendered
    assert "| high | fail | ENC001 | `aws_x.fail` | `envs/staging/main.tf:12` |" in rendered
    assert rendered.index("| critical | unknown | RES001") < rendered.index("| high | fail | ENC001")
    assert "Fix ENC001 \\| now" in rendered  # a pipe never breaks the table
    assert "`build/plan.json`" in rendered  # plan findings: the file, no line
    assert (
        "| ENC001 | `aws_x.waived` | Accepted until migration | platform | SEC-9 | 2026-12-31 |" in rendered
    )


def test_markdown_without_failures() -> None:
    clean = dataclasses.replace(RESULT, findings=(FINDINGS[1],))
    assert "None: no finding fails or is unknown." in markdown.render(clean)


def test_text_lists_failing_first_then_the_summary_line() -> None:
    lines = text.render(RESULT).splitlines()
    # RES001 is critical, ENC001 high: the most severe first, whatever the status
    assert lines[0] == "UNKNOWN  CRITICAL RES001  provider.aws.us  (build/plan.json)"
    assert lines[4].startswith("FAIL     HIGH     ENC001  aws_x.fail  (envs/staging/main.tf:12)")
    assert lines[6] == "         controls: HIPAA 164.312(a)(2)(iv); PIPEDA 4.7.1, 4.7.3"
    assert any("waived until 2026-12-31 (platform): Accepted until migration" in line for line in lines)
    assert not any("aws_x.pass" in line for line in lines)
    assert lines[-1] == "4 findings: 1 pass, 1 fail, 1 unknown, 1 waived (2 inputs, 2 rules)"


def test_text_colour_only_when_asked_and_snippets(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    plain = text.render(RESULT)
    assert "\x1b[" not in plain
    coloured = text.render(RESULT, colour=True)
    assert "\x1b[31mFAIL    \x1b[0m \x1b[31mHIGH    \x1b[0m ENC001" in coloured
    assert text.colour_wanted(to_file=True, environ={}) is False
    assert text.colour_wanted(to_file=False, environ={"NO_COLOR": ""}) is False
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert text.colour_wanted(to_file=False, environ={}) is True
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs" / "staging").mkdir(parents=True)
    (tmp_path / "envs" / "staging" / "main.tf").write_text(
        "\n" * 11 + 'resource "aws_x" "fail" {\n  a = 1\n}\n'
    )
    shown = text.render(RESULT, snippets=True).splitlines()
    start = shown.index('   12 | resource "aws_x" "fail" {')
    assert shown[start + 1 : start + 3] == ["   13 |   a = 1", "   14 | }"]
