"""ENC034: code packed by a data "archive_file" (no archive provider here, so no plan form: HCL only), and
the data-store ports of the policy."""

from __future__ import annotations

from pathlib import Path

from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.model import Model, Settings, Status
from compliance.rules.ENC034_lambda_code_datastore_tls.rule import RULE as ENC034

FUNCTION = """
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = data.archive_file.code.output_path
}
"""


def _judged(root: Path, sources: str, settings: Settings | None = None) -> tuple[Status, str]:
    """The function's finding when `data.archive_file.code` packs `sources` (its source arguments)."""
    archive = f'data "archive_file" "code" {{\n  type = "zip"\n  output_path = "out.zip"\n{sources}\n}}\n'
    (root / "main.tf").write_text(FUNCTION + archive)
    model = Model(load_hcl([root]), settings or Settings())
    (finding,) = run([ENC034], model)
    return finding.status, finding.message


def test_an_archived_source_file_with_plain_bolt_fails(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handler.py").write_text('URI = "bolt://neo4j.internal:7687"\n')
    status, message = _judged(tmp_path, 'source_file = "${path.module}/src/handler.py"')
    assert status is Status.FAIL and "handler.py:1 bolt://neo4j.internal:7687" in message


def test_an_archived_source_dir_over_tls_passes(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "client.js").write_text('const url = "https://search.internal/_search";\n')
    assert _judged(tmp_path, 'source_dir = "${path.module}/app"')[0] is Status.PASS


def test_inline_archive_content_and_the_policy_ports(tmp_path: Path) -> None:
    code = "GRAPH = 'http://10.0.3.7:17474/tx/commit'\\nHOOK = 'http://example.com/hook'\\n"
    archive = f'source {{\n filename = "handler.py"\n content = "{code}"\n}}'
    assert _judged(tmp_path, archive)[0] is Status.PASS  # 17474 is no data-store port by default
    status, message = _judged(tmp_path, archive, Settings(neo4j_ports=(17474,)))
    assert status is Status.FAIL and "http://10.0.3.7:17474" in message and "example.com" not in message


def test_an_archive_whose_source_is_missing_is_unknown(tmp_path: Path) -> None:
    assert _judged(tmp_path, 'source_file = "${path.module}/src/gone.py"')[0] is Status.UNKNOWN
