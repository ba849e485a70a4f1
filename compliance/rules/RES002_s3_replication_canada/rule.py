"""S3 replication sends objects only to buckets in Canada."""

from __future__ import annotations

from typing import Any

from compliance.analysis.residency import regions_result, s3_bucket_region
from compliance.analysis.values import blocks, get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, unknown


def check(resource: Resource, model: Model) -> Result | None:
    if resource.type == "aws_s3_bucket":  # the legacy inline replication_configuration block
        configs = blocks(resource.values, "replication_configuration")
        if isinstance(configs, Unknown):
            return unknown("replication_configuration is not known before apply")
        if not configs:
            return None
        rules: Any = blocks(configs[0], "rules")
    else:
        rules = blocks(resource.values, "rule")
    if isinstance(rules, Unknown):
        return unknown("replication rules are not known before apply")
    found = [s3_bucket_region(get(rule, "destination.bucket"), model) for rule in rules]
    return regions_result(found, none="no replication rule", allowed=model.settings.allowed_regions)


RULE = Rule(
    id="RES002",
    title="S3 replication destinations are buckets in Canada",
    severity=Severity.HIGH,
    types=("aws_s3_bucket_replication_configuration", "aws_s3_bucket"),
    rationale="Replication copies every object, health data included, to the destination bucket's region; "
    "a bucket elsewhere moves personal information out of Canada.",
    remediation="Replicate only to buckets created by a provider in ca-central-1 or ca-west-1 (reference "
    "the bucket, so its region can be checked).",
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html",
)
