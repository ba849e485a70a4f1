"""A malformed mutants.yaml is refused with a message naming the file and the fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation.mutants import Mutant, MutantFileError, batches, load_file, mutated

MAIN = 'resource "aws_kms_key" "this" {\n  enable_key_rotation = true\n}\n'
GOOD = """- name: rotation-off
  file: terraform/main.tf
  find: |2
      enable_key_rotation = true
  replace: |2
      enable_key_rotation = false
  env: staging
  address: aws_kms_key.this
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "terraform").mkdir()
    (tmp_path / "terraform" / "main.tf").write_text(MAIN)
    return tmp_path


def write(repo: Path, text: str) -> Path:
    path = repo / "mutants.yaml"
    path.write_text(text)
    return path


def test_a_valid_file_loads(repo: Path) -> None:
    (mutant,) = load_file("ENC027", write(repo, GOOD), repo)
    assert mutant.id == "ENC027-rotation-off"
    assert mutated(MAIN, [mutant]) == MAIN.replace("true", "false")


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (GOOD.replace("enable_key_rotation = true", "enable_key_rotation = maybe"), "occurs 0 times"),
        (GOOD.replace("env: staging", "env: dev"), "env 'dev'"),
        (GOOD.replace("address: aws_kms_key.this", "address: ''"), "missing or empty ['address']"),
        (GOOD.replace("terraform/main.tf", "terraform/nope.tf"), "not a file of terraform/"),
        (GOOD + GOOD, "not unique"),
        (GOOD + "  colour: red\n", "unknown keys ['colour']"),
        ("[", "not valid YAML"),
        ("[]", "non-empty list"),
    ],
)
def test_a_malformed_file_is_refused(repo: Path, text: str, fault: str) -> None:
    with pytest.raises(MutantFileError, match=r"mutants\.yaml") as raised:
        load_file("ENC027", write(repo, text), repo)
    assert fault in str(raised.value)


def test_a_missing_file_is_refused(repo: Path) -> None:
    with pytest.raises(MutantFileError, match=r"mutants\.yaml: missing"):
        load_file("ENC027", repo / "mutants.yaml", repo)


def test_batches_keep_addresses_and_overlapping_text_apart() -> None:
    def mutant(name: str, address: str, start: int, find: str = "abc") -> Mutant:
        return Mutant("ENC001", name, "terraform/a.tf", find, "x", "staging", address, start)

    a, b, c, d = (
        mutant("a", "r.one", 0),
        mutant("b", "r.one", 10),
        mutant("c", "r.two", 2),
        mutant("d", "r.three", 20),
    )
    assert [[m.name for m in group] for group in batches([a, b, c, d])] == [["a", "d"], ["b", "c"]]
