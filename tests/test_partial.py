"""Partial evaluation (compliance.analysis.partial): verdicts that moved from unknown to pass or fail.

Each case is real HCL through the real loader. `before` is the verdict with the known text of every
partially known string dropped (what the engine judged before), `after` the verdict now; the reason
says why no value of the unknown part could change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.model import Model, Resource, Status, Unknown
from compliance.rules import RULES

HEAD = """
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
resource "aws_eip" "nat" {}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
"""

ATTACH = """
resource "aws_iam_role_policy_attachment" "subject" {
  role       = "app"
  policy_arn = "%s"
}
"""

GROUP = """
resource "aws_security_group" "subject" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["%s"]
  }
}
"""

PARTITION = "$${data.aws_partition.current.partition}"
ACCOUNT = "$${data.aws_caller_identity.current.account_id}"
ADDRESS = "$${aws_eip.nat.public_ip}"

# (rule, HCL, before, after, why the move is safe)
CASES = [
    (
        "IAM003",
        ATTACH % f"arn:{PARTITION}:iam::aws:policy/AdministratorAccess",
        Status.UNKNOWN,
        Status.FAIL,
        "every AWS partition starts with 'aws'; any other value is no ARN and the attachment fails",
    ),
    (
        "IAM003",
        ATTACH % f"arn:{PARTITION}:iam::aws:policy/ReadOnlyAccess",
        Status.UNKNOWN,
        Status.PASS,
        "the policy's name is not broad, whatever the partition",
    ),
    (
        "IAM003",
        ATTACH % f"arn:aws:iam::{ACCOUNT}:policy/app-task",
        Status.UNKNOWN,
        Status.PASS,
        "a customer policy named app-task is not broad, whatever the account",
    ),
    (
        "IAM003",
        ATTACH % f"arn:aws:iam::{ACCOUNT}:policy/AdministratorAccess",
        Status.UNKNOWN,
        Status.UNKNOWN,
        "stays unknown: the account could be 'aws', the AWS-managed AdministratorAccess",
    ),
    (
        "IAM003",
        ATTACH % f"arn:aws:iam::aws:policy/{ADDRESS}",
        Status.UNKNOWN,
        Status.UNKNOWN,
        "stays unknown: the hole is in the policy's name",
    ),
    (
        "NET010",
        GROUP % f"{ADDRESS}/32",
        Status.UNKNOWN,
        Status.PASS,
        "a /32 is one address, never the internet, whatever the address",
    ),
    (
        "NET010",
        GROUP % f"{ADDRESS}/0",
        Status.UNKNOWN,
        Status.UNKNOWN,
        "stays unknown: a /0 could be the internet",
    ),
    (
        "NET010",
        GROUP % f"{ADDRESS}/16",
        Status.UNKNOWN,
        Status.PASS,
        "cidr_blocks holds IPv4 only, and an IPv4 /16 is narrower than any world range (/8)",
    ),
    (
        "NET010",
        GROUP.replace("cidr_blocks", "ipv6_cidr_blocks") % f"{ADDRESS}/16",
        Status.UNKNOWN,
        Status.UNKNOWN,
        "stays unknown: an IPv6 /16 is the internet at large",
    ),
]


def _without_parts(value: Any) -> Any:
    if isinstance(value, Unknown):
        return replace(value, parts=())
    if isinstance(value, Mapping):
        return {k: _without_parts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_parts(v) for v in value]
    return value


def _status(rule_id: str, resources: tuple[Resource, ...]) -> tuple[Status, str]:
    rule = next(r for r in RULES if r.id == rule_id)
    (finding,) = [f for f in run([rule], Model(resources)) if f.resource.endswith(".subject")]
    return finding.status, finding.message


@pytest.mark.parametrize(("rule_id", "hcl", "before", "after", "why"), CASES, ids=[c[4][:40] for c in CASES])
def test_verdicts_decided_on_known_parts(
    tmp_path: Path, rule_id: str, hcl: str, before: Status, after: Status, why: str
) -> None:
    (tmp_path / "main.tf").write_text(HEAD + hcl.replace("$$", "$"))
    resources = load_hcl([tmp_path])
    assert (
        _status(rule_id, tuple(replace(r, values=_without_parts(r.values)) for r in resources))[0] is before
    )
    status, message = _status(rule_id, resources)
    assert status is after, why
    if before is not after:
        assert "known" in message, "a decided verdict says it was decided on known parts"


def test_a_hole_that_could_shift_arn_fields_decides_nothing() -> None:
    from compliance.analysis.partial import cidr_prefix, partial_arn

    assert partial_arn(Unknown(parts=("arn:", None, ":iam::aws:policy/ReadOnlyAccess"))) is not None
    assert partial_arn(Unknown(parts=("arn:aws:iam::aws:policy/", None))) is None  # hole in the name
    assert partial_arn(Unknown(parts=("arn:", None, ":policy/X"))) is None  # too few known colons
    assert partial_arn(Unknown(refs=("aws_iam_policy.p",))) is None  # nothing known
    assert cidr_prefix(Unknown(parts=(None, "/32"))) == (32, None)
    assert cidr_prefix(Unknown(parts=("10.", None, ".0.0/16"))) == (16, 4)
    assert cidr_prefix(Unknown(parts=(None, "/", None))) is None
