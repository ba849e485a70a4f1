"""ENC008: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Model, Result, Status, Unknown
from compliance.rules.ENC008_s3_data_bucket_kms.log_delivery import log_delivery_service
from compliance.rules.ENC008_s3_data_bucket_kms.rule import RULE as ENC008
from compliance.rules.kit import ref, resource, status


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


def test_data_bucket_with_unknown_sse_config_bucket_is_unknown() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    config = resource("aws_s3_bucket_server_side_encryption_configuration.x", {"bucket": Unknown()})
    assert status(ENC008, bucket, config) is Status.UNKNOWN


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
