"""Every runbook link of the alarms module points at a heading that exists in docs/runbooks (GitHub anchors)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALARMS = ROOT / "terraform" / "modules" / "alarms" / "main.tf"
LINK = re.compile(r"\$\{local\.runbook\}/([a-z-]+\.md)#([a-z0-9-]+)")


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    return {anchor(line.lstrip("#")) for line in document.read_text().splitlines() if line.startswith("#")}


def test_every_alarm_runbook_link_resolves() -> None:
    links = LINK.findall(ALARMS.read_text())
    assert len(links) >= 5
    broken = [f"{doc}#{a}" for doc, a in links if a not in anchors(ROOT / "docs" / "runbooks" / doc)]
    assert broken == []


def test_anchor_follows_github() -> None:
    assert anchor(" 2. Triage (within 1 hour of detection)") == "2-triage-within-1-hour-of-detection"
    assert anchor(" Restore Neo4j from AWS Backup") == "restore-neo4j-from-aws-backup"
