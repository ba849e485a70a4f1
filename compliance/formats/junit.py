"""JUnit XML for CI test views: one testcase per finding (classname = rule id, name = resource);
fail and unknown are failures, waived findings are skipped with their justification."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from compliance.about import TOOL
from compliance.formats.summary import counts, location
from compliance.model import Finding, Status
from compliance.scan import ScanResult

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: ScanResult) -> str:
    tally = counts(result.findings)
    attributes = {
        "name": TOOL,
        "tests": str(len(result.findings)),
        "failures": str(tally["fail"] + tally["unknown"]),
        "errors": "0",
        "skipped": str(tally["waived"]),
    }
    suites = ET.Element("testsuites", attributes)
    suite = ET.SubElement(suites, "testsuite", {**attributes, "timestamp": result.generated_at})
    for finding in result.findings:
        _testcase(suite, finding)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, finding: Finding) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": finding.rule_id, "name": _xml(finding.resource), "file": _xml(finding.source.file)},
    )
    if finding.source.line > 0:
        case.set("line", str(finding.source.line))
    if finding.failing:
        failure = ET.SubElement(
            case, "failure", {"message": _xml(finding.message), "type": finding.status.value}
        )
        failure.text = _xml(
            f"{finding.rule_id} {finding.title}\nresource: {finding.resource}\nat: {location(finding)}\n"
            f"{finding.status.value}: {finding.message}\nfix: {finding.remediation}"
        )
    elif finding.status is Status.WAIVED:
        justification = finding.waiver.justification if finding.waiver else ""
        ET.SubElement(case, "skipped", {"message": _xml(f"waived: {justification}")})


def _xml(text: str) -> str:
    """Characters XML 1.0 cannot hold are replaced, so the report always parses."""
    return _NOT_XML.sub("\ufffd", text)
