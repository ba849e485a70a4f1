"""Random and mutated HCL: every case ends in a result or a one-line exit 2, within 10 s."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.runner import assert_clean, run_cli

SEED = (
    Path(__file__).resolve().parents[2]
    / "compliance"
    / "rules"
    / "ENC001_efs_encrypted"
    / "fixtures"
    / "main.tf"
).read_bytes()
TOKENS = [
    'resource "aws_s3_bucket" "b" {',
    'resource "aws_efs_file_system" "e" {',
    "}",
    "{",
    "[",
    "]",
    "=",
    '"',
    "${",
    "%{",
    "<<EOF\n",
    "\nEOF\n",
    "<<-X\n",
    "var.x",
    "local.y",
    "module.m.o",
    "aws_kms_key.k.arn",
    "count = 3",
    'for_each = toset(["a"])',
    "encrypted = true",
    "jsonencode({a = 1})",
    "\n",
    " ",
    "#",
    "//",
    "/*",
    "*/",
    "\x00",
    "\u202e",
    "é",
    "🙂",
    'variable "x" {',
    'module "m" {',
    'source = "./m"',
    "dynamic",
]


def scan(text: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.tf"
        path.write_bytes(text)
        outcome = run_cli("scan", str(path), "--format", "json", "--output", str(Path(tmp) / "out.json"))
        assert_clean(outcome)
        if outcome.code == 0:
            report = json.loads((Path(tmp) / "out.json").read_text())
            assert report["findings"], "exit 0 with no findings: the input was not understood"
        return outcome.code


@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup(count_case: Counter[str], tokens: list[str]) -> None:
    count_case["hcl tokens"] += 1
    scan("".join(tokens).encode("utf-8", "surrogatepass"))


@given(st.data())
def test_mutated_seed(count_case: Counter[str], data: st.DataObject) -> None:
    count_case["hcl mutations"] += 1
    text = bytearray(SEED)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(st.binary(min_size=1, max_size=8) | st.sampled_from([t.encode() for t in TOKENS]))
        if kind == "insert":
            text[at:at] = chunk
        elif kind == "delete":
            del text[at : at + len(chunk)]
        else:
            text[at : at + len(chunk)] = chunk
    scan(bytes(text))


@given(st.integers(1, 400), st.sampled_from(["{", "[", "("]))
def test_deep_nesting(count_case: Counter[str], depth: int, opener: str) -> None:
    count_case["hcl nesting"] += 1
    closer = {"{": "}", "[": "]", "(": ")"}[opener]
    body = "a = " + (opener if opener != "{" else "{ b = ") * depth
    body += "1" + closer * depth
    scan(f'resource "aws_s3_bucket" "deep" {{\n  {body}\n}}\n'.encode())


@given(
    st.text(min_size=0, max_size=200_000).filter(lambda s: '"' not in s and "\\" not in s and "$" not in s)
)
def test_long_and_unicode_strings(count_case: Counter[str], value: str) -> None:
    count_case["hcl strings"] += 1
    scan(f'resource "aws_s3_bucket" "s" {{\n  bucket = "{value}"\n}}\n'.encode("utf-8", "surrogatepass"))
