"""S3 buckets block all public access: the four public access block settings are on, for the bucket
(aws_s3_bucket_public_access_block) or for the whole account (aws_s3_account_public_access_block).

New buckets have these settings on since April 2023, but only a managed block keeps them on: anyone with
s3:PutBucketPublicAccessBlock can switch them off, and Terraform restores a block it manages. A block
whose bucket or settings are known only after apply is UNKNOWN.
"""

from __future__ import annotations

from compliance.analysis.references import companions
from compliance.analysis.results import verdict
from compliance.analysis.values import truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, passed

SETTINGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
BUCKET_BLOCK = "aws_s3_bucket_public_access_block"
ACCOUNT_BLOCK = "aws_s3_account_public_access_block"


def _off(block: Resource) -> tuple[list[str], list[str]]:
    """The settings a block leaves off (unset means false), and those not known before apply."""
    states = {name: truth(block.values.get(name)) for name in SETTINGS}
    off = [name for name, state in states.items() if state is Status.FAIL]
    unknown = [name for name, state in states.items() if state is Status.UNKNOWN]
    return off, unknown


def check(resource: Resource, model: Model) -> Result:
    problems: list[str] = []
    doubts: list[str] = []
    for account in model.of_type(ACCOUNT_BLOCK):
        off, unknown = _off(account)
        if not off and not unknown:
            return passed(f"{account.address} blocks public access for every bucket of the account")
        doubts.extend(f"{account.address}: {name} is not known before apply" for name in unknown)
    found = False
    for block, named in companions(resource, model, BUCKET_BLOCK, "bucket", keys=("bucket",)):
        if named is None:
            doubts.append(f"{block.address} may apply but its bucket is not known before apply")
            continue
        found = True
        off, unknown = _off(block)
        if not off and not unknown:
            return passed(f"{block.address} turns on all four public access settings")
        problems.extend(f"{block.address}: {name} is not true" for name in off)
        doubts.extend(f"{block.address}: {name} is not known before apply" for name in unknown)
    if not found and not doubts:
        problems.append(f"no {BUCKET_BLOCK} names this bucket")
    return verdict(problems, doubts, "public access is blocked")


RULE = Rule(
    id="IAM050",
    title="S3 bucket blocks all public access",
    severity=Severity.HIGH,
    types=("aws_s3_bucket",),
    rationale=(
        "Notes, audio and logs in S3 must never be readable from the internet. The public access block "
        "overrides any public ACL or bucket policy, so a later policy mistake cannot publish health data; "
        "managed in Terraform, a setting switched off by hand is restored on the next apply."
    ),
    remediation=(
        "Add aws_s3_bucket_public_access_block { bucket = aws_s3_bucket.x.id } with block_public_acls, "
        "block_public_policy, ignore_public_acls and restrict_public_buckets all true (or an "
        "aws_s3_account_public_access_block with the four settings true)."
    ),
    controls={"HIPAA": ("164.312(a)(1)",), "PIPEDA": ("4.7", "4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
)
