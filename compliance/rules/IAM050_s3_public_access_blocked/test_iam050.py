"""IAM050: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Status, Unknown
from compliance.rules.IAM050_s3_public_access_blocked.rule import RULE as IAM050
from compliance.rules.kit import ref, resource, status

ALL_ON = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}


def test_account_wide_block_covers_every_bucket() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    account = resource("aws_s3_account_public_access_block.this", ALL_ON)
    assert status(IAM050, bucket, account) is Status.PASS


def test_account_block_with_a_setting_off_does_not_cover() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    account = resource("aws_s3_account_public_access_block.this", {**ALL_ON, "ignore_public_acls": False})
    assert status(IAM050, bucket, account) is Status.FAIL


def test_block_whose_bucket_is_unknown_may_apply() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    block = resource("aws_s3_bucket_public_access_block.x", {**ALL_ON, "bucket": Unknown()})
    assert status(IAM050, bucket, block) is Status.UNKNOWN


def test_block_of_another_bucket_does_not_count() -> None:
    bucket = resource("aws_s3_bucket.data", {"bucket": "notegen-data"})
    other = resource("aws_s3_bucket.logs", {"bucket": "notegen-logs"})
    block = resource(
        "aws_s3_bucket_public_access_block.logs", {**ALL_ON, "bucket": ref("aws_s3_bucket.logs")}
    )
    assert status(IAM050, bucket, other, block) is Status.FAIL
