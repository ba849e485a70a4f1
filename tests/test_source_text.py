"""Reading a finding's block back from its file: its end (SARIF endLine), the statement a message names
(IAM findings point at the offending statement), robust to strings, comments and unreadable files."""

from __future__ import annotations

from pathlib import Path

from compliance.source_text import block_end, snippet, statement_line

POLICIES = """\
resource "aws_iam_policy" "json" {
  name = "a { b"   # a brace in a string } and in a comment {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
      {
        Sid      = "Pass"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "doc" {
  statement {
    sid     = "Keys"
    actions = ["iam:CreateAccessKey"]
  }
  statement {
    actions = ["iam:PutRolePolicy"]
  }
}

resource "aws_iam_policy" "from_doc" {
  policy = data.aws_iam_policy_document.doc.json
}
"""


def write(tmp_path: Path) -> str:
    path = tmp_path / "main.tf"
    path.write_text(POLICIES)
    return str(path)


def test_block_end_skips_braces_in_strings_and_comments(tmp_path: Path) -> None:
    file = write(tmp_path)
    assert block_end(file, 1) == 14
    assert block_end(file, 16) == 24
    assert block_end(file, 99) == 99 and block_end(str(tmp_path / "missing.tf"), 3) == 3
    assert snippet(file, 26) == [
        '   26 | resource "aws_iam_policy" "from_doc" {',
        "   27 |   policy = data.aws_iam_policy_document.doc.json",
        "   28 | }",
    ]


def test_statements_named_by_sid_or_index(tmp_path: Path) -> None:
    file = write(tmp_path)
    assert statement_line(file, 1, "policy statement 'Pass': iam:PassRole on '*'") == 7
    assert statement_line(file, 1, "policy statement #0: s3:GetObject") == 5
    assert statement_line(file, 1, "policy statement #1: iam:PassRole") == 8  # its Effect line
    assert statement_line(file, 16, "policy statement #1: iam:PutRolePolicy") == 21
    # the document lives in another block: a Sid unique in the file is found, an index is not guessed
    assert statement_line(file, 26, "policy statement 'Keys': iam:CreateAccessKey on any user") == 18
    assert statement_line(file, 26, "policy statement #1: iam:PutRolePolicy") == 26
    assert statement_line(file, 1, "no statement named") == 1
