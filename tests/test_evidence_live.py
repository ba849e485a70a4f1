"""`evidence --live ENV=STATE_JSON`: the bundle carries a live section, the applied objects judged as
deployed (moto in-process stands for the account)."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.evidence.bundle import write_env
from compliance.loaders.live import Clients
from compliance.model import Origin
from compliance.scan import LiveAccount
from tests.loaders.conftest import aws as account  # noqa: F401  (moto in-process: the fixture)
from tests.loaders.test_live import _state

REGION = "ca-central-1"


def test_the_bundle_has_a_live_section(account: Clients, tmp_path: Path) -> None:  # noqa: F811
    vpc = account("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = account("ec2").create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format_version": "1.0", **_state(("aws_subnet.private", {"id": subnet}))}))
    env = tmp_path / "staging"
    env.mkdir()
    (env / "main.tf").write_text(
        'resource "aws_subnet" "private" {\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.1.0/24"\n}\n'
    )
    report = write_env(
        env, None, tmp_path / "out", live=state, account=LiveAccount(REGION), render_pdf=lambda _: b"%PDF-"
    )
    assert {i.kind for i in report.run.inputs} == {"hcl", "live"}
    live = [f for f in report.findings if f.origin is Origin.RUNTIME]
    assert live and {f.resource for f in live} == {"aws_subnet.private"}
