"""The runtime loader against moto in-process: live objects -> plan-shaped Resources at their addresses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance import engine
from compliance.loaders.live import Clients, link_references, load_runtime, state_resources
from compliance.loaders.live.describers import DESCRIBERS
from compliance.loaders.live.network import DESCRIBERS as NETWORK_DESCRIBERS
from compliance.model import Model, Origin, Status, Unknown
from compliance.rules import RULES

REGION = "ca-central-1"


def _state(*resources: tuple[str, dict[str, Any]], child: str = "") -> dict[str, Any]:
    """A `terraform show -json` document of a state holding these (address, values)."""
    items = [
        {
            "address": f"{child}.{address}" if child else address,
            "mode": "managed",
            "type": address.split(".")[0],
            "name": address.split(".")[1].split("[")[0],
            "values": values,
        }
        for address, values in resources
    ]
    if child:
        return {"values": {"root_module": {"child_modules": [{"address": child, "resources": items}]}}}
    return {"values": {"root_module": {"resources": items}}}


def _network(aws: Clients) -> dict[str, str]:
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="ca-central-1a")
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": group}]},
        ],
    )
    return {"vpc": vpc, "subnet": subnet["Subnet"]["SubnetId"], "group": group}


def test_network_objects_in_plan_shape_with_references(aws: Clients) -> None:
    ids = _network(aws)
    state = _state(
        ("aws_vpc.this", {"id": ids["vpc"]}),
        ("aws_subnet.private[0]", {"id": ids["subnet"]}),
        ("aws_security_group.web", {"id": ids["group"]}),
        child="module.vpc",
    )
    load = load_runtime(state, aws)
    by_address = {r.address: r for r in load.resources}
    subnet = by_address["module.vpc.aws_subnet.private[0]"]
    assert subnet.origin is Origin.RUNTIME and subnet.module == "module.vpc" and subnet.region == REGION
    assert subnet.values["map_public_ip_on_launch"] is False
    assert subnet.values["vpc_id"] == Unknown(
        refs=("module.vpc.aws_vpc.this",), reason=subnet.values["vpc_id"].reason
    )
    group = by_address["module.vpc.aws_security_group.web"].values
    ssh = next(rule for rule in group["ingress"] if rule["from_port"] == 22)
    assert ssh["cidr_blocks"] == ["0.0.0.0/0"] and ssh["protocol"] == "tcp"
    https = next(rule for rule in group["ingress"] if rule["from_port"] == 443)
    assert https["self"] is True and https["security_groups"] == []


def test_storage_and_keys(aws: Clients) -> None:
    kms = aws("kms")
    key = kms.create_key(Description="data")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=key["KeyId"])
    s3 = aws("s3")
    s3.create_bucket(Bucket="backups", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_encryption(
        Bucket="backups",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key["Arn"],
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_versioning(Bucket="backups", VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket="backups",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": False,
        },
    )
    efs = aws("efs")
    file_system = efs.create_file_system(CreationToken="neo4j", Encrypted=True, KmsKeyId=key["Arn"])
    state = _state(
        ("aws_kms_key.this", {"id": key["KeyId"], "arn": key["Arn"]}),
        ("aws_s3_bucket.this", {"id": "backups", "bucket": "backups"}),
        ("aws_s3_bucket_server_side_encryption_configuration.this", {"id": "backups", "bucket": "backups"}),
        ("aws_s3_bucket_versioning.this", {"id": "backups", "bucket": "backups"}),
        ("aws_s3_bucket_public_access_block.this", {"id": "backups", "bucket": "backups"}),
        ("aws_efs_file_system.this", {"id": file_system["FileSystemId"]}),
    )
    values = {r.address: r.values for r in load_runtime(state, aws).resources}
    assert values["aws_kms_key.this"]["enable_key_rotation"] is True
    rule = values["aws_s3_bucket_server_side_encryption_configuration.this"]["rule"][0]
    default = rule["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "aws:kms"
    assert default["kms_master_key_id"].refs == ("aws_kms_key.this",)
    assert values["aws_s3_bucket_server_side_encryption_configuration.this"]["bucket"].refs == (
        "aws_s3_bucket.this",
    )
    assert values["aws_s3_bucket_versioning.this"]["versioning_configuration"][0]["status"] == "Enabled"
    assert values["aws_s3_bucket_public_access_block.this"]["restrict_public_buckets"] is False
    assert values["aws_s3_bucket.this"]["region"] == REGION
    assert values["aws_efs_file_system.this"]["encrypted"] is True
    assert values["aws_efs_file_system.this"]["kms_key_id"].refs == ("aws_kms_key.this",)


def test_identity_secrets_and_logs(aws: Clients) -> None:
    iam = aws("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="task", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName="task", PolicyName="inline", PolicyDocument=json.dumps(document))
    secret = aws("secretsmanager").create_secret(Name="neo4j-admin", SecretString="not-read-by-the-loader")
    aws("logs").create_log_group(logGroupName="/ecs/api")
    aws("logs").put_retention_policy(logGroupName="/ecs/api", retentionInDays=365)
    state = _state(
        ("aws_iam_role.task", {"id": "task", "name": "task", "arn": role["Arn"]}),
        ("aws_iam_role_policy.inline", {"id": "task:inline"}),
        ("aws_secretsmanager_secret.neo4j", {"id": secret["ARN"], "arn": secret["ARN"]}),
        ("aws_cloudwatch_log_group.api", {"id": "/ecs/api", "name": "/ecs/api"}),
    )
    load = load_runtime(state, aws)
    values = {r.address: r.values for r in load.resources}
    assert json.loads(values["aws_iam_role.task"]["assume_role_policy"]) == trust
    assert json.loads(values["aws_iam_role_policy.inline"]["policy"]) == document
    assert values["aws_iam_role_policy.inline"]["role"].refs == ("aws_iam_role.task",)
    assert values["aws_secretsmanager_secret.neo4j"]["kms_key_id"] in ("", None)
    assert "not-read-by-the-loader" not in repr(load)
    assert values["aws_cloudwatch_log_group.api"]["retention_in_days"] == 365
    assert values["aws_cloudwatch_log_group.api"]["kms_key_id"] == ""


def test_missing_objects_and_undescribed_types_are_reported(aws: Clients) -> None:
    state = _state(
        ("aws_vpc.gone", {"id": "vpc-00000000"}),
        ("terraform_data.restore", {"id": "x"}),
        ("aws_imaginary_thing.x", {"id": "y"}),
    )
    load = load_runtime(state, aws)
    assert load.resources == ()
    assert load.missing == ("aws_vpc.gone",)
    assert (
        load.not_described["terraform_data.restore"] == "Terraform bookkeeping or a waiter, not a live object"
    )
    assert "aws_imaginary_thing" in load.not_described["aws_imaginary_thing.x"]


def test_the_same_rules_judge_live_resources(aws: Clients) -> None:
    ids = _network(aws)
    aws("ec2").modify_subnet_attribute(SubnetId=ids["subnet"], MapPublicIpOnLaunch={"Value": True})
    efs = aws("efs").create_file_system(CreationToken="plain", Encrypted=False)
    state = _state(
        ("aws_subnet.public", {"id": ids["subnet"]}),
        ("aws_efs_file_system.plain", {"id": efs["FileSystemId"]}),
    )
    findings = engine.run(RULES, Model(load_runtime(state, aws).resources))
    judged = {(f.rule_id, f.resource): f.status for f in findings}
    assert judged[("NET001", "aws_subnet.public")] is Status.FAIL
    assert judged[("ENC001", "aws_efs_file_system.plain")] is Status.FAIL
    assert {f.origin for f in findings} == {Origin.RUNTIME}


def test_state_walk_skips_data_sources_and_keeps_module_paths() -> None:
    state = {
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "data.aws_region.current",
                        "mode": "data",
                        "type": "aws_region",
                        "name": "current",
                    }
                ],
                "child_modules": [
                    {
                        "address": "module.a",
                        "child_modules": [
                            {
                                "address": "module.a.module.b",
                                "resources": [
                                    {
                                        "address": 'module.a.module.b.aws_vpc.this["x"]',
                                        "mode": "managed",
                                        "type": "aws_vpc",
                                        "name": "this",
                                        "values": {"id": "vpc-1"},
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        }
    }
    (only,) = state_resources(state)
    assert only.module == "module.a.module.b" and only.address.endswith('aws_vpc.this["x"]')


def test_link_references_leaves_own_identifiers_and_policies() -> None:
    index = {"vpc-1": "aws_vpc.a", "arn:aws:kms:ca-central-1:1:key/k": "aws_kms_key.k"}
    values = {
        "id": "vpc-1",
        "vpc_id": "vpc-1",
        "policy": '{"Resource": "vpc-1"}',
        "keys": ["arn:aws:kms:ca-central-1:1:key/k"],
    }
    linked = link_references(values, index, "aws_subnet.s")
    assert linked["id"] == "vpc-1" and linked["policy"] == values["policy"]
    assert linked["vpc_id"].refs == ("aws_vpc.a",) and linked["keys"][0].refs == ("aws_kms_key.k",)


TABLED = (
    *NETWORK_DESCRIBERS,
    "aws_scheduler_schedule",
    "aws_efs_file_system",
    "aws_efs_mount_target",
    "aws_efs_access_point",
    "aws_opensearch_domain",
    "aws_kms_key",
    "aws_sns_topic",
    "aws_acm_certificate",
    "aws_sns_topic_subscription",
    "aws_iam_role",
    "aws_s3_bucket",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_replication_configuration",
)


GONE_ARNS = {
    "elb": "arn:aws:elasticloadbalancing:ca-central-1:123456789012:loadbalancer/app/x/0123456789abcdef",
    "sns": "arn:aws:sns:ca-central-1:123456789012:gone",
    "acm": "arn:aws:acm:ca-central-1:123456789012:certificate/0123abcd-0123-0123-0123-0123456789ab",
}


@pytest.mark.parametrize("kind", sorted(TABLED))
def test_every_tabled_describer_reads_a_gone_object_as_none(aws: Clients, kind: str) -> None:
    """The describers' shared prologues (loaders/live/lookup.py, data._per_bucket): each call is well
    formed for boto3 and a missing object reads as gone, not as an error."""
    arn = GONE_ARNS.get(kind.split("_")[1], GONE_ARNS["elb"])
    state = {
        "id": "x-0123456789abcdef0",
        "arn": arn,
        "route_table_id": "rtb-00000000",
        "subnet_id": "subnet-0",
        "domain_name": "gone",
    }
    assert DESCRIBERS[kind](state, aws) is None


def test_alarms_are_judged_live_on_their_dimensions_and_subscribers(aws: Clients) -> None:
    """MON001 and MON002 read an alarm's dimensions and its topic's subscriptions from the live APIs."""
    efs = aws("efs").create_file_system(CreationToken="neo4j", Encrypted=True)["FileSystemId"]
    domain = aws("opensearch").create_domain(DomainName="notegen")["DomainStatus"]["ARN"]
    # A vault named like the domain: the live loader links the alarm's DomainName literal to it.
    aws("backup").create_backup_vault(BackupVaultName="notegen")
    sns = aws("sns")
    topic = sns.create_topic(Name="alarms")["TopicArn"]
    silent = sns.create_topic(Name="nobody")["TopicArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="oncall@example.com")
    cloudwatch = aws("cloudwatch")
    for name, target, dimension in (
        ("efs-credits", topic, {"Name": "FileSystemId", "Value": efs}),
        ("silent", silent, {"Name": "DomainName", "Value": "notegen"}),
    ):
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/EFS",
            MetricName="BurstCreditBalance",
            Dimensions=[dimension],
            Statistic="Minimum",
            Period=300,
            EvaluationPeriods=2,
            Threshold=1e11,
            ComparisonOperator="LessThanThreshold",
            AlarmActions=[target],
        )
    state = _state(
        ("aws_efs_file_system.data", {"id": efs}),
        ("aws_backup_vault.v", {"id": "notegen", "name": "notegen"}),
        ("aws_opensearch_domain.search", {"id": domain, "arn": domain, "domain_name": "notegen"}),
        ("aws_sns_topic.alarms", {"id": topic, "arn": topic}),
        ("aws_sns_topic.nobody", {"id": silent, "arn": silent}),
        (
            "aws_sns_topic_subscription.oncall",
            {"id": subscription["SubscriptionArn"], "arn": subscription["SubscriptionArn"]},
        ),
        ("aws_cloudwatch_metric_alarm.efs", {"id": "efs-credits", "alarm_name": "efs-credits"}),
        ("aws_cloudwatch_metric_alarm.silent", {"id": "silent", "alarm_name": "silent"}),
    )
    load = load_runtime(state, aws)
    values = {r.address: r.values for r in load.resources}
    # The live id is linked back to the file system it names, as a plan's reference would be.
    assert values["aws_cloudwatch_metric_alarm.efs"]["dimensions"]["FileSystemId"].refs == (
        "aws_efs_file_system.data",
    )
    rules = [rule for rule in RULES if rule.id in ("MON001", "MON002")]
    found = {(f.rule_id, f.resource): f.status for f in engine.run(rules, Model(load.resources))}
    assert found == {
        ("MON001", "aws_efs_file_system.data"): Status.PASS,
        ("MON001", "aws_opensearch_domain.search"): Status.PASS,
        ("MON002", "aws_cloudwatch_metric_alarm.efs"): Status.PASS,
        ("MON002", "aws_cloudwatch_metric_alarm.silent"): Status.FAIL,
    }
