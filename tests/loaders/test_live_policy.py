"""`scan --live` with an auditor's credentials: the shipped read-only IAM policy is enough (moto in-process
with IAM enforced), a policy short of one action is refused, and the scan never writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]
from moto import mock_aws
from moto.core import enable_iam_authentication

from compliance.cli import main
from compliance.loaders.live import Clients, load_runtime
from compliance.loaders.live.account import POLICY
from compliance.loaders.live.aws import WriteRefusedError
from compliance.loaders.live.describers import DESCRIBERS
from tests.loaders.test_live import GONE_ARNS, TABLED, _network, _state

REGION = "ca-central-1"
ROOT = Path(__file__).resolve().parents[2]
SHIPPED: dict[str, Any] = json.loads((ROOT / POLICY).read_text())

# moto's IAM emulation names some reads differently from AWS (it asks s3:ListBucket for S3 sub-resources
# its table does not list, and takes CloudWatch's signing name "monitoring" as the action prefix): the user
# moto checks gets those names too, beside the shipped AWS names.
MOTO_NAMES = {
    "cloudwatch:DescribeAlarms": "monitoring:DescribeAlarms",
    "s3:GetEncryptionConfiguration": "s3:ListBucket",
    "s3:GetBucketOwnershipControls": "s3:ListBucket",
    "s3:GetBucketPublicAccessBlock": "s3:ListBucket",
    "s3:GetReplicationConfiguration": "s3:ListBucket",
}
# moto rejects the signature of every EFS, OpenSearch, Backup, Lambda and Scheduler (REST-JSON) request once IAM is
# enforced (SignatureDoesNotMatch, whatever the policy): their describers cannot be checked against it here.
MOTO_UNSIGNABLE = ("aws_efs_", "aws_opensearch_", "aws_backup_", "aws_lambda_", "aws_scheduler_")


def for_moto(policy: dict[str, Any]) -> dict[str, Any]:
    statements = [
        {
            **s,
            "Action": sorted({*s["Action"], *(MOTO_NAMES[a] for a in s["Action"] if a in MOTO_NAMES)}),
        }
        for s in policy["Statement"]
    ]
    return {**policy, "Statement": statements}


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clients]:
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        yield Clients(REGION)


def _auditor(admin: Clients, policy: dict[str, Any], name: str = "auditor") -> Clients:
    """Read-only clients of an IAM user holding `policy` (created before IAM is enforced)."""
    iam = admin("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="live-scan", PolicyDocument=json.dumps(for_moto(policy)))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    session = boto3.session.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name=REGION
    )
    return Clients(REGION, session=session, read_only=True)


def _stack(admin: Clients) -> dict[str, Any]:
    """A state of real objects for several describers (network, key, bucket and its settings, EFS)."""
    ids = _network(admin)
    key = admin("kms").create_key(Description="data")["KeyMetadata"]
    s3 = admin("s3")
    s3.create_bucket(Bucket="backups", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(
        Bucket="backups", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "BlockPublicPolicy": True}
    )
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}}
    s3.put_bucket_encryption(Bucket="backups", ServerSideEncryptionConfiguration={"Rules": [rule]})
    bucket = {"id": "backups", "bucket": "backups"}
    return _state(
        ("aws_vpc.this", {"id": ids["vpc"]}),
        ("aws_subnet.private", {"id": ids["subnet"]}),
        ("aws_security_group.web", {"id": ids["group"]}),
        ("aws_kms_key.this", {"id": key["KeyId"], "arn": key["Arn"]}),
        ("aws_s3_bucket.this", bucket),
        ("aws_s3_bucket_versioning.this", bucket),
        ("aws_s3_bucket_public_access_block.this", bucket),
        ("aws_s3_bucket_server_side_encryption_configuration.this", bucket),
    )


def test_the_shipped_policy_reads_the_stack_with_iam_enforced(admin: Clients) -> None:
    state = _stack(admin)
    auditor = _auditor(admin, SHIPPED)
    with enable_iam_authentication():
        load = load_runtime(state, auditor)
    assert len(load.resources) == 8 and not load.missing


@pytest.mark.parametrize("kind", sorted(k for k in TABLED if not k.startswith(MOTO_UNSIGNABLE)))
def test_the_shipped_policy_lets_every_tabled_describer_ask(admin: Clients, kind: str) -> None:
    """Each describer's call is authorised: a gone object reads as gone, not as AccessDenied."""
    auditor = _auditor(admin, SHIPPED)
    arn = GONE_ARNS.get(kind.split("_")[1], GONE_ARNS["elb"])
    state = {"id": "x-0123456789abcdef0", "arn": arn, "route_table_id": "rtb-0", "subnet_id": "subnet-0"}
    with enable_iam_authentication():
        assert DESCRIBERS[kind]({**state, "domain_name": "gone"}, auditor) is None


def test_iam_is_really_enforced_a_policy_short_of_one_action_is_denied(admin: Clients) -> None:
    state = _stack(admin)
    actions = [a for a in SHIPPED["Statement"][0]["Action"] if a != "ec2:DescribeVpcs"]
    short = {
        **SHIPPED,
        "Statement": [{**SHIPPED["Statement"][0], "Action": actions}, *SHIPPED["Statement"][1:]],
    }
    auditor = _auditor(admin, short, name="short")
    with enable_iam_authentication(), pytest.raises(ClientError) as denied:
        load_runtime(state, auditor)
    assert "AccessDenied" in str(denied.value) or "UnauthorizedOperation" in str(denied.value)


def test_the_policy_grants_only_reads_and_names_the_unsignable_services() -> None:
    actions = [a for s in SHIPPED["Statement"] for a in s["Action"]]
    assert {"elasticfilesystem:DescribeFileSystems", "es:DescribeDomain"} <= set(actions)
    assert all(s["Effect"] == "Allow" for s in SHIPPED["Statement"])
    assert all(a.split(":")[1].startswith(("Describe", "Get", "List")) for a in actions), actions
    assert not [a for a in actions if "*" in a]


def test_read_only_clients_refuse_a_write_before_sending_it(admin: Clients) -> None:
    guarded = Clients(REGION, session=boto3.session.Session(region_name=REGION), read_only=True)
    with pytest.raises(WriteRefusedError, match="ec2:CreateVpc is not a read"):
        guarded("ec2").create_vpc(CidrBlock="10.9.0.0/16")
    assert not [v for v in admin("ec2").describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.9.0.0/16"]


def test_scan_live_cli_judges_the_account_in_every_format(
    admin: Clients, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format_version": "1.0", **_stack(admin)}))
    for fmt in ("text", "json", "sarif", "junit", "markdown"):
        out = tmp_path / f"report.{fmt}"
        assert (
            main(["scan", "--live", str(state), "--region", REGION, "--format", fmt, "--output", str(out)])
            == 1
        )
        assert "aws_s3_bucket.this" in out.read_text(), fmt
    report = json.loads((tmp_path / "report.json").read_text())
    assert {f["origin"] for f in report["findings"]} == {"runtime"}
    assert {i["kind"] for i in report["metadata"]["inputs"]} == {"live"}


def test_scan_live_gaps_and_bad_input(
    admin: Clients, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    gone = {"id": "vpc-0123456789abcdef0"}
    state.write_text(json.dumps({"format_version": "1.0", **_state(("aws_vpc.gone", gone))}))
    assert (
        main(
            [
                "scan",
                "--live",
                str(state),
                "--region",
                REGION,
                "--format",
                "json",
                "--output",
                str(tmp_path / "r"),
            ]
        )
        == 1
    )
    findings = json.loads((tmp_path / "r").read_text())["findings"]
    assert [(f["rule_id"], f["status"]) for f in findings] == [("SCN002", "unknown")]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format_version": "1.2", "planned_values": {}}))
    for argv, message in (
        (["--live", str(plan), "--region", REGION], "is a plan, not the applied state"),
        (["--live", str(tmp_path / "nope.json"), "--region", REGION], "state not found"),
        (["--live", str(state)], "no region: give --region or set AWS_REGION"),
        ([str(tmp_path), "--region", REGION], "--region and --endpoint-url go with --live"),
    ):
        assert main(["scan", *argv]) == 2, argv
        assert message in capsys.readouterr().err, argv


def test_scan_live_denied_is_bad_input_naming_the_policy(
    admin: Clients, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format_version": "1.0", **_stack(admin)}))
    iam = admin("iam")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    with enable_iam_authentication():
        assert main(["scan", "--live", str(state), "--region", REGION]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and POLICY in err, err
