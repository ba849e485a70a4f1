"""The HCL evaluator (loaders/hcl/eval.py, functions.py, files.py, templates.py): expressions, functions and unknowns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.model import Unknown
from tests.loaders.hcl.support import load, value, write


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3.5),
        ("-5 % 3", -2),
        ('"5" + 1', 6),
        ('1 == "1"', False),
        ("!true || false", False),
        ("3 >= 3 && 2 < 1", False),
        ('true ? "a" : "b"', "a"),
        ("[1, 2][1]", 2),
        ("{ a = { b = [10, 20] } }.a.b[1]", 20),
        ("[{ n = 1 }, { n = 2 }][*].n", [1, 2]),
        ('[for k, v in { a = 1, b = 2 } : "${k}=${v}" if v > 1]', ["b=2"]),
        ("{ for k, v in { a = 1, b = 2 } : upper(k) => v }", {"A": 1, "B": 2}),
        ('{ for s in ["a", "b", "a"] : s => s... }', {"a": ["a", "a"], "b": ["b"]}),
        ('"a-${1 + 1}-${true}"', "a-2-true"),
        ('"a%{if false}b%{else}c%{endif}%{for x in [1, 2]}${x},%{endfor}"', "ac1,2,"),
        ('"$${literal} %%{x}"', "${literal} %{x}"),
        (r'"q\"uote\n\u00e9"', 'q"uote\né'),
        ("1.5e3", 1500),
        ('jsonencode({ b = 1, a = ["x"] })', '{"a":["x"],"b":1}'),
        ('jsondecode("{\\"a\\": [1, 2.5]}")', {"a": [1, 2.5]}),
        ("merge({ a = 1, b = 1 }, { b = 2 }, null)", {"a": 1, "b": 2}),
        ("concat([1], [2, 3])", [1, 2, 3]),
        ('lookup({ a = 1 }, "z", "default")', "default"),
        ('try({ a = 1 }.z, "fallback")', "fallback"),
        ("can({ a = 1 }.z)", False),
        ('coalesce("", null, "c")', "c"),
        ("coalescelist([], [1])", [1]),
        ('format("%s-%03d-%q-%v", "x", 7, "y", true)', 'x-007-"y"-true'),
        ('join(",", split("/", "a/b/c"))', "a,b,c"),
        ('replace("hello", "l", "L")', "heLLo"),
        ('replace("hello", "/l+/", "L")', "heLo"),
        ('lower("AB")', "ab"),
        ('upper("ab")', "AB"),
        ("tostring(5)", "5"),
        ('tonumber("5")', 5),
        ('tobool("true")', True),
        ('tolist(["a"])', ["a"]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ("tomap({ a = 1 })", {"a": 1}),
        ('length("abc")', 3),
        ('element(["a", "b"], 3)', "b"),
        ("keys({ b = 1, a = 2 })", ["a", "b"]),
        ("values({ b = 1, a = 2 })", [2, 1]),
        ('contains(["a"], "a")', True),
        ('distinct(["a", "a", "b"])', ["a", "b"]),
        ("flatten([[1], [2, [3]]])", [1, 2, 3]),
        ('compact(["a", "", null])', ["a"]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ("range(3)", [0, 1, 2]),
        ("range(1, 7, 2)", [1, 3, 5]),
        ("min(3, 1, 2)", 1),
        ("max(1, 5, 3)", 5),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ('cidrsubnet("fd00::/56", 8, 1)', "fd00:0:0:1::/64"),
        ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
        ("terraform.workspace", "default"),
        ("path.module", "."),
    ],
)
def test_expressions(tmp_path: Path, expression: str, expected: Any) -> None:
    assert value(tmp_path, expression) == expected


def test_heredocs_with_interpolation(tmp_path: Path) -> None:
    text = 'resource "t_x" "e" {\n  plain = <<EOF\n  keep ${local.n}\nEOF\n  trimmed = <<-EOT\n    {\n      "a": "${local.n}"\n    }\n  EOT\n}\nlocals { n = "v" }\n'
    values = load(tmp_path, {"main.tf": text})["t_x.e"].values
    assert values["plain"] == "  keep v\n"
    assert values["trimmed"] == '{\n  "a": "v"\n}\n'


def test_file_and_templatefile_relative_to_module(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./mod"\n}\nresource "t_x" "root" {\n  v = file("${path.root}/p.json")\n}\n',
            "p.json": '{"root": true}',
            "mod/main.tf": """
resource "t_x" "e" {
  doc    = jsondecode(file("${path.module}/policy.json"))
  render = templatefile("${path.module}/t.tpl", { names = ["a", "b"], bucket = "bk" })
  gone   = file("${path.module}/missing.json")
  dir    = path.module
}
""",
            "mod/policy.json": '{"Version": "2012-10-17"}',
            "mod/t.tpl": "%{ for n in names }${bucket}/${n}\n%{ endfor }",
        },
    )
    values = resources["module.m.t_x.e"].values
    assert values["doc"] == {"Version": "2012-10-17"}
    assert values["render"] == "bk/a\nbk/b\n"
    assert isinstance(values["gone"], Unknown)
    assert "not a regular file" in value(tmp_path, 'file("/dev/zero")').reason
    assert values["dir"] == "mod"
    assert resources["t_x.root"].values["v"] == '{"root": true}'


def test_references_become_unknowns_with_addresses(tmp_path: Path) -> None:
    extra = 'resource "aws_kms_key" "k" {\n  count = 2\n}\ndata "aws_caller_identity" "me" {}\n'
    assert value(tmp_path, "aws_kms_key.k[1].arn", extra).refs == ("aws_kms_key.k[1]",)
    assert [u.refs for u in value(tmp_path, "aws_kms_key.k[*].arn", extra)] == [
        ("aws_kms_key.k[0]",),
        ("aws_kms_key.k[1]",),
    ]
    assert value(tmp_path, "data.aws_caller_identity.me.account_id", extra).refs == (
        "data.aws_caller_identity.me",
    )
    merged = value(tmp_path, '"${aws_kms_key.k[0].arn}:${data.aws_caller_identity.me.id}"', extra)
    assert merged.refs == ("aws_kms_key.k[0]", "data.aws_caller_identity.me")
    listed = value(tmp_path, '["x", aws_kms_key.k[0].arn]', extra)
    assert listed == [
        "x",
        Unknown(refs=("aws_kms_key.k[0]",), reason="aws_kms_key.k[0].arn is known only after apply"),
    ]
    assert value(tmp_path, "length([1, aws_kms_key.k[0].arn])", extra) == 2
    assert value(tmp_path, 'upper(aws_kms_key.k[0].arn) == "X"', extra).refs == ("aws_kms_key.k[0]",)


def test_unknowns_never_guess(tmp_path: Path) -> None:
    extra = 'resource "aws_kms_key" "k" {}\n'
    assert value(tmp_path, "false && aws_kms_key.k.enabled", extra) is False
    assert isinstance(value(tmp_path, "true && aws_kms_key.k.enabled", extra), Unknown)
    assert value(tmp_path, 'aws_kms_key.k.arn == "" ? "same" : "same"', extra) == "same"
    either = value(tmp_path, "aws_kms_key.k.enabled ? aws_kms_key.k.arn : null", extra)
    assert isinstance(either, Unknown)
    assert either.refs == ()  # might be null: not a reference to a set value
    guarded = value(tmp_path, 'aws_kms_key.k.enabled ? { a = 1 }.missing : "x"', extra)
    assert guarded == Unknown(reason="aws_kms_key.k.enabled is known only after apply")
    assert "Numerical result out of range" in value(tmp_path, "pow(10, 1000)").reason
    assert "OverflowError" in value(tmp_path, "1" + "0" * 400 + " / 3").reason
    assert "not evaluated" in value(tmp_path, "unknownfn(1)").reason
    assert "not evaluated" in value(tmp_path, 'provider::aws::arn_parse("x")').reason
    assert "has no attribute" in value(tmp_path, "{ a = 1 }.b").reason
    assert "undeclared" in value(tmp_path, "aws_nothing.here.id").reason
    assert (
        "ephemeral" in value(tmp_path, "ephemeral.aws_secretsmanager_secret_version.s.secret_string").reason
    )


def test_jsonencode_with_unknowns_keeps_the_structure(tmp_path: Path) -> None:
    extra = 'resource "aws_s3_bucket" "b" {}\n'
    policy = value(
        tmp_path,
        'jsonencode({ Statement = [{ Effect = "Deny", Resource = ["${aws_s3_bucket.b.arn}/*"] }] })',
        extra,
    )
    resource = policy["Statement"][0]["Resource"][0]
    assert policy["Statement"][0]["Effect"] == "Deny"
    assert isinstance(resource, Unknown) and resource.refs == ("aws_s3_bucket.b",)
    heredoc = value(tmp_path, '<<EOF\n{"Resource": "${aws_s3_bucket.b.arn}/*", "N": 1}\nEOF\n', extra)
    assert heredoc["N"] == 1 and heredoc["Resource"].refs == ("aws_s3_bucket.b",)
    not_json = value(tmp_path, '"arn:${aws_s3_bucket.b.arn}"', extra)
    assert isinstance(not_json, Unknown)


def test_hash_functions(tmp_path: Path) -> None:
    write(tmp_path, {"blob.txt": "a"})
    assert (
        value(tmp_path, 'sha256("a")') == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    )
    assert value(tmp_path, 'base64sha256("a")') == "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
    assert value(tmp_path, 'filebase64sha256("blob.txt")') == "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
    assert value(tmp_path, 'filemd5("blob.txt")') == "0cc175b9c0f1b6a831c399e269772661"


def test_interpolating_a_partial_structure_is_unknown_with_refs(tmp_path: Path) -> None:
    extra = 'resource "aws_s3_bucket" "b" {}\n'
    result = value(tmp_path, '"policy: ${jsonencode({ R = aws_s3_bucket.b.arn })}"', extra)
    assert result == Unknown(
        refs=("aws_s3_bucket.b",), reason="aws_s3_bucket.b.arn is known only after apply"
    )
    assert isinstance(value(tmp_path, '"${jsonencode({ R = aws_s3_bucket.b.arn })}"', extra), dict)
