"""Waivers: valid, expired, malformed, unknown rule, glob matching, and what a waived finding keeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compliance.model import Finding, InputError, Origin, Severity, Source, Status, Waiver
from compliance.waivers import DEFAULT, apply_waivers, load_waivers, matches

TODAY = dt.date(2026, 6, 1)
RULES = {"ENC001", "NET001"}

VALID = """\
waivers:
  - rule: ENC001
    resource: module.neo4j.aws_efs_file_system.*
    justification: Legacy volume, migrating in Q3
    owner: platform
    ticket: SEC-1
    expires: 2026-06-01
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    return path


def finding(
    rule: str = "ENC001",
    resource: str = "module.neo4j.aws_efs_file_system.this",
    status: Status = Status.FAIL,
) -> Finding:
    return Finding(
        rule_id=rule,
        title="t",
        status=status,
        severity=Severity.HIGH,
        resource=resource,
        source=Source("main.tf", 3),
        controls={},
        message="encrypted is false",
        remediation="fix",
        origin=Origin.HCL,
    )


def test_the_default_file_holds_only_the_pending_access_logging_waivers() -> None:
    # Our envs pass every rule without waivers, except LOG008 (new with issue 16) until the Terraform
    # change that adds access logging lands; then this file goes back to an empty list.
    waivers = load_waivers(DEFAULT, {*RULES, "LOG008"})
    assert {(w.rule_id, w.ticket) for w in waivers} == {("LOG008", "issue-16")}
    assert len(waivers) == 3


def test_a_valid_waiver_on_its_last_day(tmp_path: Path) -> None:
    (waiver,) = load_waivers(write(tmp_path, VALID), RULES, TODAY)
    assert waiver == Waiver(
        rule_id="ENC001",
        resource="module.neo4j.aws_efs_file_system.*",
        justification="Legacy volume, migrating in Q3",
        owner="platform",
        ticket="SEC-1",
        expires="2026-06-01",
    )


def test_an_expired_waiver_fails_naming_file_and_entry(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    with pytest.raises(InputError) as error:
        load_waivers(path, RULES, TODAY + dt.timedelta(days=1))
    message = str(error.value)
    assert message.startswith(f"{path}: waiver 1 (ENC001 module.neo4j.aws_efs_file_system.*)")
    assert "expired on 2026-06-01" in message


MALFORMED = [
    (
        "no justification",
        VALID.replace("    justification: Legacy volume, migrating in Q3\n", ""),
        "justification",
    ),
    ("empty justification", VALID.replace("Legacy volume, migrating in Q3", "''"), "justification"),
    ("no expiry", VALID.replace("    expires: 2026-06-01\n", ""), "missing or empty expires"),
    ("bad date", VALID.replace("2026-06-01", "next year"), "expires must be a date"),
    ("impossible date", VALID.replace("2026-06-01", "'2026-02-30'"), "not a valid date"),
    ("typo in a key", VALID.replace("ticket:", "tciket:"), "unknown field tciket"),
    ("not a list", "waivers:\n  rule: ENC001\n", "expected `waivers:`"),
    ("entry not a mapping", "waivers:\n  - ENC001\n", "waiver 1: expected a mapping"),
    ("other top-level key", VALID + "extra: 1\n", "expected `waivers:`"),
    ("invalid yaml", "waivers: [\n", "invalid YAML"),
    ("rule not text", VALID.replace("rule: ENC001", "rule: [ENC001]"), "rule must be text"),
]


@pytest.mark.parametrize(("case", "text", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_waivers_fail_with_a_clear_message(
    tmp_path: Path, case: str, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        load_waivers(path, RULES, TODAY)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_waiver_naming_an_unknown_rule_fails(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("ENC001", "ENC999"))
    with pytest.raises(InputError, match="unknown rule ENC999"):
        load_waivers(path, RULES, TODAY)


def test_a_missing_waiver_file_fails(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read waivers"):
        load_waivers(tmp_path / "nope.yaml", RULES, TODAY)


def test_a_bare_list_and_an_empty_file_are_accepted(tmp_path: Path) -> None:
    bare = "\n".join(line[2:] for line in VALID.splitlines()[1:])
    assert len(load_waivers(write(tmp_path, bare), RULES, TODAY)) == 1
    assert load_waivers(write(tmp_path, "# nothing waived\n"), RULES, TODAY) == ()


@pytest.mark.parametrize(
    ("pattern", "address", "expected"),
    [
        ("module.neo4j.aws_efs_file_system.*", "module.neo4j.aws_efs_file_system.this", True),
        ("module.*.aws_efs_file_system.this", "module.neo4j.aws_efs_file_system.this", True),
        ("aws_subnet.public[0]", "aws_subnet.public[0]", True),  # brackets are literal
        ("aws_subnet.public[0]", "aws_subnet.public0", False),
        ("aws_subnet.public[?]", "aws_subnet.public[1]", True),
        ('aws_s3_bucket.b["logs"]', 'aws_s3_bucket.b["logs"]', True),
        ("aws_efs_file_system.this", "module.x.aws_efs_file_system.this", False),  # whole address only
        ("AWS_EFS_FILE_SYSTEM.this", "aws_efs_file_system.this", False),  # case matters
    ],
)
def test_resource_globs(pattern: str, address: str, expected: bool) -> None:
    waiver = Waiver("ENC001", pattern, "j", "", "", "2026-06-01")
    assert matches(waiver, finding(resource=address)) is expected


def test_waived_findings_keep_their_message_and_justification() -> None:
    waiver = Waiver("ENC001", "module.neo4j.*", "accepted", "me", "T-1", "2026-06-01")
    failing = finding()
    unknown = finding(resource="module.neo4j.aws_efs_file_system.other", status=Status.UNKNOWN)
    passing = finding(resource="module.neo4j.aws_efs_file_system.ok", status=Status.PASS)
    other_rule = finding(rule="NET001")
    result = apply_waivers([failing, unknown, passing, other_rule], [waiver])
    assert [f.status for f in result] == [Status.WAIVED, Status.WAIVED, Status.PASS, Status.FAIL]
    assert result[0].waiver == waiver and result[0].message == failing.message
    assert result[2].waiver is None and result[3].waiver is None
    assert not result[0].failing
