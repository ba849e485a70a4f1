"""Report formats: each a pure function from a ScanResult to text."""

from __future__ import annotations

from collections.abc import Callable

from compliance.formats import json_report, junit, markdown, sarif, text
from compliance.scan import ScanResult

Render = Callable[[ScanResult], str]

FORMATS: dict[str, Render] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "markdown": markdown.render,
}
