"""`scan --live` without a state: discovery lists the account (moto in-process stands for it) and the same
rules judge what it finds, at stable addresses, in each region given; the shipped policy is enough with IAM
enforced, and a denied List call is bad input naming the policy."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto.core import enable_iam_authentication
from moto.server import ThreadedMotoServer

from compliance.cli import main
from compliance.loaders.live import Clients
from compliance.loaders.live.account import POLICY
from compliance.loaders.live.describers import DESCRIBERS
from compliance.loaders.live.discovery import DISCOVERED_TYPES, GLOBAL, REGIONAL, load_discovered
from compliance.model import Origin
from compliance.rules import RULES
from tests.loaders.test_live_policy import SHIPPED, _auditor, _stack
from tests.loaders.test_live_policy import admin as account  # noqa: F401  (moto in-process: the fixture)

REGION, WEST = "ca-central-1", "ca-west-1"
# moto rejects the signatures of these services' requests while enforcing IAM (test_live_policy.py)
UNSIGNABLE = frozenset({"efs", "opensearch", "backup", "lambda"})
ALIASES = {
    "aws_alb": "aws_lb",
    "aws_alb_listener": "aws_lb_listener",
    "aws_alb_target_group": "aws_lb_target_group",
}


def _hand_made(aws: Clients) -> dict[str, str]:
    """An unencrypted bucket in the west, an SSH-from-anywhere group, a role anyone may assume."""
    west = aws.at(WEST)
    west("s3").create_bucket(Bucket="plain-west", CreateBucketConfiguration={"LocationConstraint": WEST})
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="ssh", Description="ssh", VpcId=vpc)["GroupId"]
    world = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[world])
    anyone = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [anyone]})
    aws("iam").create_role(RoleName="open", AssumeRolePolicyDocument=document)
    return {"vpc": vpc, "group": group}


def _findings(path: Path) -> dict[tuple[str, str], str]:
    return {(f["rule_id"], f["resource"]): f["status"] for f in json.loads(path.read_text())["findings"]}


def test_discovered_objects_are_judged_at_stable_addresses_in_their_regions(
    account: Clients,  # noqa: F811
    tmp_path: Path,
) -> None:
    ids = _hand_made(account)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for output in (first, second):
        argv = ["scan", "--live", "--region", REGION, "--region", WEST, "--format", "json", "--output"]
        assert main([*argv, str(output)]) == 1
    found = _findings(first)
    assert found == _findings(second), "the same account gave other addresses or verdicts"
    assert found[("ENC007", "aws_s3_bucket.plain-west")] == "fail"
    assert found[("NET010", f"aws_security_group.{ids['group']}")] == "fail"
    assert found[("IAM005", "aws_iam_role.open")] == "fail"
    assert found[("LOG005", f"aws_vpc.{ids['vpc']}")] == "fail"  # no flow log
    report = json.loads(first.read_text())
    assert {f["origin"] for f in report["findings"]} == {"runtime"}
    assert [i["path"] for i in report["metadata"]["inputs"]] == [f"live:discovery:{REGION},{WEST}"]


def test_discovered_resources_carry_their_region_and_links(account: Clients) -> None:  # noqa: F811
    ids = _hand_made(account)
    found = {r.address: r for r in load_discovered(account, [REGION, WEST])}
    bucket = found["aws_s3_bucket.plain-west"]
    assert bucket.region == WEST and bucket.origin is Origin.RUNTIME
    group = found[f"aws_security_group.{ids['group']}"]
    assert group.region == REGION and group.values["vpc_id"].refs == (f"aws_vpc.{ids['vpc']}",)
    # every VPC's default group is the default group, judged by NET012, and its main route table is found
    defaults = [r for r in found.values() if r.type == "aws_default_security_group"]
    assert {d.values["vpc_id"].refs[0] for d in defaults if d.region == REGION} >= {f"aws_vpc.{ids['vpc']}"}
    mains = [r for r in found.values() if r.type == "aws_main_route_table_association"]
    assert any(m.values["vpc_id"].refs == (f"aws_vpc.{ids['vpc']}",) for m in mains)


def test_a_bucket_of_an_unscanned_region_is_left_out(account: Clients) -> None:  # noqa: F811
    _hand_made(account)
    found = {r.address for r in load_discovered(account, [REGION])}
    assert "aws_s3_bucket.plain-west" not in found and "aws_iam_role.open" in found


def test_every_judged_type_a_describer_reads_is_discovered() -> None:
    judged = {ALIASES.get(t, t) for rule in RULES for t in rule.types}
    described = {ALIASES.get(t, t) for t in DESCRIBERS}
    assert not (judged & described) - DISCOVERED_TYPES
    assert not DISCOVERED_TYPES - set(DESCRIBERS), "a discovered type no describer reads"


def test_the_shipped_policy_discovers_the_account_with_iam_enforced(account: Clients) -> None:  # noqa: F811
    _stack(account)
    _hand_made(account)
    auditor = _auditor(account, SHIPPED)
    services = (set(REGIONAL) | set(GLOBAL)) - UNSIGNABLE
    with enable_iam_authentication():
        found = load_discovered(auditor, [REGION, WEST], services=services)
    kinds = {r.type for r in found}
    assert {"aws_s3_bucket", "aws_security_group", "aws_kms_key", "aws_iam_role", "aws_vpc"} <= kinds


def _short_of(action: str) -> dict[str, Any]:
    return {
        **SHIPPED,
        "Statement": [{**s, "Action": [a for a in s["Action"] if a != action]} for s in SHIPPED["Statement"]],
    }


def test_a_denied_list_call_is_bad_input_naming_the_policy(
    account: Clients,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _hand_made(account)
    auditor = _auditor(account, _short_of("iam:ListRoles"), name="short")
    credentials = auditor._session.get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials.secret_key)
    with enable_iam_authentication():
        assert main(["scan", "--live", "--region", REGION]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ListRoles" in err and POLICY in err, err


def test_live_options_are_checked(account: Clients, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    """The fixture leaves no AWS_REGION: discovery needs --region."""
    assert main(["scan", "--region", REGION]) == 2
    assert "--region and --endpoint-url go with --live" in capsys.readouterr().err
    assert main(["scan", "--live"]) == 2
    assert "no region: give --region or set AWS_REGION" in capsys.readouterr().err


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto over HTTP on a free loopback port (an endpoint answers an unimplemented call with a 500, as a
    real service outage would; in-process moto raises instead)."""
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        moto.stop()


def test_a_listing_the_endpoint_fails_is_one_gap_and_the_rest_is_judged(server: str, tmp_path: Path) -> None:
    """moto has no ListBackupSelections: the backup listing stops there, visibly (SCN002 unknown)."""
    admin = Clients(REGION, server)
    _hand_made(admin)
    rule = {"RuleName": "daily", "TargetBackupVaultName": "vault", "ScheduleExpression": "cron(0 5 * * ? *)"}
    admin("backup").create_backup_vault(BackupVaultName="vault")
    admin("backup").create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [rule]})
    output = tmp_path / "report.json"
    argv = ["scan", "--live", "--region", REGION, "--endpoint-url", server, "--format", "json", "--output"]
    assert main([*argv, str(output)]) == 1
    found = _findings(output)
    assert found[("SCN002", f"live_gap.backup-{REGION}")] == "unknown"
    assert found[("IAM005", "aws_iam_role.open")] == "fail"
    assert any(rule == "ENC026" and address.startswith("aws_backup_vault.") for rule, address in found)


def test_evidence_live_env_alone_discovers(account: Clients, tmp_path: Path) -> None:  # noqa: F811
    from compliance.evidence.bundle import write_env
    from compliance.scan import LiveAccount

    _hand_made(account)
    env = tmp_path / "staging"
    env.mkdir()
    (env / "main.tf").write_text('resource "aws_vpc" "this" {\n  cidr_block = "10.7.0.0/16"\n}\n')
    report = write_env(
        env, None, tmp_path / "out", account=LiveAccount(REGION), discover=True, render_pdf=lambda _: b"%PDF-"
    )
    assert [i.path for i in report.run.inputs if i.kind == "live"] == [f"live:discovery:{REGION}"]
    assert ("IAM005", "aws_iam_role.open") in {(f.rule_id, f.resource) for f in report.findings}
