"""Manual controls rest on written procedures: every document a control names exists, is in date and
names that control back; the evidence shows each with its review date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compliance.frameworks import Control, catalog, mode
from compliance.frameworks.documents import Document, describe, read_document
from compliance.model import InputError
from compliance.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
MANUAL = [(fw.name, c) for fw in catalog() for c in fw.controls if mode(c, RULES) == "manual"]
DOCUMENTS = sorted({path for _, c in MANUAL for path in c.documents})
RUNBOOKS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "runbooks").glob("*.md"))


@pytest.mark.parametrize(("framework", "control"), MANUAL, ids=[f"{f} {c.id}" for f, c in MANUAL])
def test_every_manual_control_names_a_document_that_names_it_back(framework: str, control: Control) -> None:
    assert control.documents, f"{framework} {control.id} is manual but names no document"
    for path in control.documents:
        doc = read_document(path)
        assert f"{framework} {control.id}" in doc.controls, f"{path} does not list {framework} {control.id}"


@pytest.mark.parametrize("path", RUNBOOKS)
def test_every_runbook_is_in_date_and_serves_known_controls(path: str) -> None:
    doc = read_document(path)
    assert not doc.overdue(dt.date.today()), f"{path}: last reviewed {doc.last_reviewed}, due {doc.due()}"
    known = {f"{fw.name} {c.id}" for fw in catalog() for c in fw.controls}
    assert set(doc.controls) <= known, f"{path} names controls the catalogues lack"
    manual = {f"{f} {c.id}" for f, c in MANUAL}
    for name in set(doc.controls) & manual:
        framework, _, cid = name.partition(" ")
        (control,) = (c for f, c in MANUAL if f == framework and c.id == cid)
        assert path in control.documents, f"{path} serves {name} but the catalogue does not name it"


def test_runbooks_are_the_documents_named() -> None:
    assert set(DOCUMENTS) <= set(RUNBOOKS)


def _write(tmp_path: Path, front: str) -> str:
    (tmp_path / "doc.md").write_text(front + "\n# Body\n")
    return "doc.md"


def test_an_overdue_document_is_overdue(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '---\ntitle: T\nowner: O\nlast_reviewed: 2020-01-01\nreview_period_days: 365\ncontrols: ["PIPEDA 4.9"]\n---',
    )
    doc = read_document(path, tmp_path)
    assert doc == Document(path, "T", "O", dt.date(2020, 1, 1), 365, ("PIPEDA 4.9",))
    assert doc.overdue(dt.date(2021, 1, 1)) and not doc.overdue(dt.date(2020, 12, 30))


@pytest.mark.parametrize(
    "front",
    [
        "# no front matter",
        "---\ntitle: T\nowner: O\nreview_period_days: 365\ncontrols: []\n---",
        "---\ntitle: T\nowner: O\nlast_reviewed: soon\nreview_period_days: 365\ncontrols: []\n---",
    ],
)
def test_a_malformed_or_missing_document_is_an_input_error(tmp_path: Path, front: str) -> None:
    with pytest.raises(InputError, match=r"doc\.md"):
        read_document(_write(tmp_path, front), tmp_path)
    with pytest.raises(InputError, match=r"absent\.md"):
        read_document("absent.md", tmp_path)
    assert "unreadable" in describe("absent.md", tmp_path)
