"""ENC cases the fixture harness cannot plan offline (remote data sources, other regions' defaults) and
the shared helpers' tables, on in-memory resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from compliance.analysis.buckets import log_delivery_service
from compliance.analysis.kms import customer_managed_key
from compliance.analysis.results import worst
from compliance.analysis.tls import tls_policy
from compliance.model import Model, Origin, Resource, Result, Rule, Source, Status, Unknown
from compliance.rules.ENC008_s3_data_bucket_kms.rule import RULE as ENC008
from compliance.rules.ENC012_lb_listener_tls.rule import RULE as ENC012
from compliance.rules.ENC013_elb_listener_tls.rule import RULE as ENC013
from compliance.rules.ENC015_rds_cluster_encrypted.rule import RULE as ENC015
from compliance.rules.ENC019_ebs_volume_encrypted.rule import RULE as ENC019
from compliance.rules.ENC022_sqs_encrypted.rule import RULE as ENC022
from compliance.rules.ENC027_kms_key_rotation.rule import RULE as ENC027


def resource(
    address: str, values: Mapping[str, Any], region: str | Unknown | None = "ca-central-1"
) -> Resource:
    mode = "data" if address.startswith("data.") else "managed"
    kind, name = address.removeprefix("data.").split(".")[:2]
    return Resource(
        address=address,
        mode=mode,
        type=kind,
        name=name,
        module="",
        provider="provider.aws",
        region=region,
        values=values,
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


def status(rule: Rule, subject: Resource, *others: Resource) -> Status:
    """The status `rule` gives `subject` in a model of it and `others`; the rule must apply."""
    result = rule.check(subject, Model((subject, *others)))
    assert result is not None
    return result.status


def ref(*addresses: str) -> Unknown:
    return Unknown(refs=addresses, reason="known after apply")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("ELBSecurityPolicy-TLS13-1-2-2021-06", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-3-2021-06", Status.PASS),
        ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", Status.PASS),
        ("ELBSecurityPolicy-FS-1-2-Res-2020-10", Status.PASS),
        ("Policy-Min-TLS-1-2-PFS-2023-10", Status.PASS),
        ("ELBSecurityPolicy-TLS13-1-1-2021-06", Status.FAIL),
        ("ELBSecurityPolicy-TLS13-1-0-2021-06", Status.FAIL),
        ("ELBSecurityPolicy-TLS-1-1-2017-01", Status.FAIL),
        ("ELBSecurityPolicy-FS-2018-06", Status.FAIL),
        ("ELBSecurityPolicy-2016-08", Status.FAIL),
        ("Policy-Min-TLS-1-0-2019-07", Status.FAIL),
        (None, Status.FAIL),
        (Unknown(), Status.UNKNOWN),
    ],
)
def test_tls_policy_floor_comes_from_the_name(policy: Any, expected: Status) -> None:
    assert tls_policy(policy, "ssl_policy", "ELBSecurityPolicy-2016-08").status is expected


def test_key_looked_up_by_aws_managed_alias_is_aws_managed() -> None:
    alias = resource("data.aws_kms_alias.s3", {"name": "alias/aws/s3"})
    result = customer_managed_key(ref("data.aws_kms_alias.s3"), "kms_master_key_id", Model((alias,)))
    assert result.status is Status.FAIL
    assert "alias/aws/s3" in result.message


def test_key_looked_up_by_customer_alias_is_customer_managed() -> None:
    key = resource("data.aws_kms_key.notes", {"key_id": "alias/notegen-notes"})
    assert (
        customer_managed_key(ref("data.aws_kms_key.notes"), "kms_key_id", Model((key,))).status is Status.PASS
    )


def test_unknown_key_without_references_is_unknown() -> None:
    assert customer_managed_key(Unknown(), "kms_key_id", Model(())).status is Status.UNKNOWN


def test_log_target_by_policy_document_principal() -> None:
    bucket = resource("aws_s3_bucket.logs", {"bucket": "notegen-access-logs"})
    document = resource(
        "data.aws_iam_policy_document.logs",
        {"statement": [{"principals": [{"type": "Service", "identifiers": ["logging.s3.amazonaws.com"]}]}]},
    )
    policy = resource(
        "aws_s3_bucket_policy.logs",
        {"bucket": ref("aws_s3_bucket.logs"), "policy": ref("data.aws_iam_policy_document.logs")},
    )
    model = Model((bucket, document, policy))
    assert log_delivery_service(bucket, model) == "S3 server access logs"
    assert ENC008.check(bucket, model) == Result(
        Status.PASS, "log-delivery target of S3 server access logs, which writes only with SSE-S3"
    )


def test_log_target_by_elb_service_account_data_source() -> None:
    bucket = resource("aws_s3_bucket.alb", {"bucket": "notegen-alb-logs"})
    account = resource("data.aws_elb_service_account.this", {})
    policy = resource(
        "aws_s3_bucket_policy.alb",
        {
            "bucket": "notegen-alb-logs",
            "policy": {"Statement": [{"Principal": {"AWS": ref("data.aws_elb_service_account.this")}}]},
        },
    )
    assert log_delivery_service(bucket, Model((bucket, account, policy))) == "ELB access logs"


def test_data_bucket_with_unknown_sse_config_bucket_is_unknown() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    config = resource("aws_s3_bucket_server_side_encryption_configuration.x", {"bucket": Unknown()})
    assert status(ENC008, bucket, config) is Status.UNKNOWN


def test_http_listener_with_anonymous_listener_rule_is_unknown() -> None:
    listener = resource(
        "aws_lb_listener.http",
        {
            "protocol": "HTTP",
            "port": 80,
            "load_balancer_arn": "arn:aws:elasticloadbalancing:ca-central-1:111122223333:loadbalancer/app/x/1",
            "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS"}]}],
        },
    )
    rule = resource("aws_lb_listener_rule.r", {"listener_arn": Unknown(), "action": [{"type": "forward"}]})
    assert status(ENC012, listener, rule) is Status.UNKNOWN


def test_listener_without_protocol_on_an_unscanned_balancer_is_unknown() -> None:
    listener = resource("aws_lb_listener.x", {"port": 80, "load_balancer_arn": "arn:aws:..."})
    assert status(ENC012, listener) is Status.UNKNOWN


def test_aurora_serverless_v1_is_always_encrypted() -> None:
    cluster = resource("aws_rds_cluster.v1", {"engine_mode": "serverless", "storage_encrypted": False})
    assert status(ENC015, cluster) is Status.PASS


@pytest.mark.parametrize(
    ("default_region", "expected"),
    [("ca-central-1", Status.PASS), ("ca-west-1", Status.FAIL), (Unknown(), Status.UNKNOWN)],
)
def test_ebs_account_default_applies_in_its_region_only(default_region: Any, expected: Status) -> None:
    volume = resource("aws_ebs_volume.v", {"encrypted": False})
    default = resource("aws_ebs_encryption_by_default.this", {"enabled": True}, region=default_region)
    assert status(ENC019, volume, default) is expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, Status.FAIL),  # HCL: nothing stated
        ({"sqs_managed_sse_enabled": Unknown()}, Status.UNKNOWN),  # plan: the provider computes it
        ({"sqs_managed_sse_enabled": Unknown(), "kms_master_key_id": "alias/aws/sqs"}, Status.PASS),
    ],
)
def test_sqs_default_is_not_evidence(values: Mapping[str, Any], expected: Status) -> None:
    queue = resource("aws_sqs_queue.q", values)
    assert status(ENC022, queue) is expected


def test_kms_key_with_unknown_spec_is_unknown_not_an_error() -> None:
    key = resource("aws_kms_key.k", {"customer_master_key_spec": Unknown(), "enable_key_rotation": True})
    assert status(ENC027, key) is Status.UNKNOWN


def test_worst_keeps_every_message_of_the_worst_status() -> None:
    results = [
        Result(Status.PASS, "a"),
        Result(Status.FAIL, "b"),
        Result(Status.UNKNOWN, "c"),
        Result(Status.FAIL, "d"),
    ]
    assert worst(results) == Result(Status.FAIL, "b; d")


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"Protocol-TLSv1.2": "true", "Protocol-TLSv1": "false"}, Status.PASS),
        ({"Protocol-TLSv1.2": "true", "Protocol-TLSv1.1": "true"}, Status.FAIL),
        ({"Protocol-TLSv1": "false"}, Status.FAIL),
        ({"Reference-Security-Policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}, Status.PASS),
    ],
)
def test_classic_elb_negotiation_attributes(attributes: Mapping[str, str], expected: Status) -> None:
    elb = resource(
        "aws_elb.web",
        {"name": "web", "listener": [{"lb_port": 443, "lb_protocol": "HTTPS", "instance_port": 80}]},
    )
    policy = resource(
        "aws_lb_ssl_negotiation_policy.p",
        {
            "load_balancer": "web",
            "lb_port": 443,
            "attribute": [{"name": name, "value": value} for name, value in attributes.items()],
        },
    )
    assert status(ENC013, elb, policy) is expected


def test_negotiation_policy_on_another_port_does_not_count() -> None:
    elb = resource("aws_elb.web", {"name": "web", "listener": [{"lb_port": 443, "lb_protocol": "ssl"}]})
    policy = resource(
        "aws_lb_ssl_negotiation_policy.p",
        {
            "load_balancer": ref("aws_elb.web"),
            "lb_port": 8443,
            "attribute": [{"name": "Protocol-TLSv1.2", "value": "true"}],
        },
    )
    assert status(ENC013, elb, policy) is Status.FAIL
