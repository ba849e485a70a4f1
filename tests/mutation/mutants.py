"""Each rule's mutants: `compliance/rules/<ID>_<slug>/mutants.yaml`, validated, batched, applied to a tree.

A mutant is one text edit of the real stack (terraform/) that must make its rule FAIL on `address` when
`env` is scanned. Files are validated when collected: a missing or malformed file is reported against its
rule (tests/mutation/test_mutation.py::test_rule_has_mutants) rather than silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ENVS = ("staging", "prod")
FIELDS = ("name", "file", "find", "replace", "env", "address")
FILE_NAME = "mutants.yaml"


class MutantFileError(ValueError):
    """A mutants.yaml that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class Mutant:
    rule_id: str
    name: str
    file: str  # relative to the repository root, under terraform/
    find: str
    replace: str
    env: str
    address: str
    start: int  # where `find` occurs in the unmutated file

    @property
    def id(self) -> str:
        return f"{self.rule_id}-{self.name}"

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.find)


def load_file(rule_id: str, path: Path, root: Path) -> tuple[Mutant, ...]:
    """The mutants of one rule folder; raises MutantFileError naming the file and the fault."""
    where = path.relative_to(root)
    if not path.is_file():
        raise MutantFileError(f"{where}: missing (every rule needs at least one mutant)")
    try:
        entries = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise MutantFileError(f"{where}: not valid YAML: {error}") from None
    if not isinstance(entries, list) or not entries:
        raise MutantFileError(f"{where}: expected a non-empty list of mutants")
    mutants = tuple(_mutant(rule_id, entry, f"{where}[{index}]", root) for index, entry in enumerate(entries))
    names = [m.name for m in mutants]
    if len(set(names)) != len(names):
        raise MutantFileError(f"{where}: mutant names are not unique: {names}")
    return mutants


def _mutant(rule_id: str, entry: object, where: str, root: Path) -> Mutant:
    if not isinstance(entry, dict):
        raise MutantFileError(f"{where}: expected a mapping with {', '.join(FIELDS)}")
    # replace may be empty (a deletion); every other field must say something
    missing = [
        f for f in FIELDS if not isinstance(entry.get(f), str) or (f != "replace" and not entry[f].strip())
    ]
    extra = sorted(set(entry) - set(FIELDS))
    if missing or extra:
        raise MutantFileError(f"{where}: missing or empty {missing}, unknown keys {extra}")
    values: dict[str, str] = {f: entry[f] for f in FIELDS}
    if values["env"] not in ENVS:
        raise MutantFileError(f"{where}: env {values['env']!r} is not one of {', '.join(ENVS)}")
    target = root / values["file"]
    if not values["file"].startswith("terraform/") or not target.is_file():
        raise MutantFileError(f"{where}: file {values['file']} is not a file of terraform/")
    text = target.read_text()
    count = text.count(values["find"])
    if count != 1:
        raise MutantFileError(
            f"{where}: find occurs {count} times in {values['file']} (must be exactly once)"
        )
    if values["find"] == values["replace"]:
        raise MutantFileError(f"{where}: replace equals find (no edit)")
    return Mutant(rule_id=rule_id, start=text.index(values["find"]), **values)


def batches(mutants: Iterable[Mutant]) -> list[list[Mutant]]:
    """Mutants of one env grouped so that no two in a batch share an address or overlap in a file.

    Greedy first fit, in the given order: the few groups that result are each planned once."""
    groups: list[list[Mutant]] = []
    for mutant in mutants:
        for group in groups:
            if not any(_conflict(mutant, other) for other in group):
                group.append(mutant)
                break
        else:
            groups.append([mutant])
    return groups


def _conflict(a: Mutant, b: Mutant) -> bool:
    if a.env != b.env or a.address == b.address:
        return True
    return a.file == b.file and a.span[0] < b.span[1] and b.span[0] < a.span[1]


def mutated(text: str, mutants: Sequence[Mutant]) -> str:
    """`text` with every mutant's edit applied (their spans must not overlap)."""
    for mutant in sorted(mutants, key=lambda m: m.start, reverse=True):
        start, end = mutant.span
        assert text[start:end] == mutant.find, f"{mutant.id}: {mutant.file} changed under the mutant"
        text = text[:start] + mutant.replace + text[end:]
    return text


@contextmanager
def applied(tree: Path, mutants: Sequence[Mutant]) -> Iterator[None]:
    """Apply the mutants to a copy of the repository (`tree` holds terraform/), and revert them after."""
    by_file: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        by_file.setdefault(mutant.file, []).append(mutant)
    originals = {file: (tree / file).read_text() for file in by_file}
    try:
        for file, group in by_file.items():
            (tree / file).write_text(mutated(originals[file], group))
        yield
    finally:
        for file, text in originals.items():
            (tree / file).write_text(text)
