"""The written procedures that manual controls point at (docs/runbooks/*.md) and their review dates.

A document opens with YAML front matter: title, owner, last_reviewed (a date), review_period_days and the
controls it serves ("HIPAA 164.312(a)(2)(ii)"). A document is overdue once last_reviewed plus its review
period lies before the day asked about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from compliance.model import InputError

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Document:
    path: str  # relative to the repository root, as the catalogue names it
    title: str
    owner: str
    last_reviewed: dt.date
    review_period_days: int
    controls: tuple[str, ...]

    def due(self) -> dt.date:
        return self.last_reviewed + dt.timedelta(days=self.review_period_days)

    def overdue(self, today: dt.date) -> bool:
        return self.due() < today


def read_document(path: str, root: Path = REPO_ROOT) -> Document:
    """The front matter of `path`; InputError naming the file when it is missing or malformed."""
    file = root / path
    try:
        text = file.read_text()
    except OSError as error:
        raise InputError(f"{path}: the document a control names cannot be read ({error.strerror})") from error
    head, sep, _ = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        raise InputError(f"{path}: no front matter (--- title, owner, last_reviewed, ... ---)")
    data = yaml.safe_load(head)
    try:
        reviewed = data["last_reviewed"]
        if not isinstance(reviewed, dt.date):
            raise TypeError("last_reviewed is not a date")
        return Document(
            path=path,
            title=str(data["title"]),
            owner=str(data["owner"]),
            last_reviewed=reviewed,
            review_period_days=int(data["review_period_days"]),
            controls=tuple(str(c) for c in data["controls"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{path}: malformed front matter ({error})") from error


def describe(path: str, root: Path = REPO_ROOT) -> str:
    """One line for reports: the document and its review date, or why it cannot be shown."""
    try:
        doc = read_document(path, root)
    except InputError as error:
        return f"{path} (unreadable: {error})"
    return f"{path} (last reviewed {doc.last_reviewed.isoformat()}, due {doc.due().isoformat()})"
