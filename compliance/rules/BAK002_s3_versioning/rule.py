"""S3 buckets keep object versions, so an overwrite or deletion can be undone."""

from __future__ import annotations

from compliance.analysis.references import companions
from compliance.analysis.values import get, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    legacy = get(resource.values, "versioning.enabled")
    if truth(legacy) is Status.PASS:
        return passed("versioning { enabled = true } (legacy block)")
    doubtful = False
    states: list[str] = []
    for config, named in companions(resource, model, "aws_s3_bucket_versioning", "bucket", keys=("bucket",)):
        status = get(config.values, "versioning_configuration.status")
        if named is None or isinstance(status, Unknown):
            doubtful = True
        elif status == "Enabled":
            return passed(f"{config.address} has status Enabled")
        else:
            states.append(f"{config.address} has status {status!r}")
    if doubtful:
        return unknown("an aws_s3_bucket_versioning may apply but is not known before apply")
    if states:
        return failed("; ".join(states))
    return failed("no aws_s3_bucket_versioning with status Enabled names this bucket")


RULE = Rule(
    id="BAK002",
    title="S3 buckets keep object versions",
    severity=Severity.MEDIUM,
    types=("aws_s3_bucket",),
    rationale=(
        "Versioning keeps every overwritten or deleted object recoverable, the first defence against "
        "accidental deletion and ransomware on stored notes and audio. 'Suspended' keeps old versions but "
        "stops protecting new writes."
    ),
    remediation="Add aws_s3_bucket_versioning { bucket = aws_s3_bucket.x.id, versioning_configuration { status "
    '= "Enabled" } }, with a lifecycle rule expiring noncurrent versions.',
    controls={"HIPAA": ("164.308(a)(7)(ii)(A)", "164.312(c)(1)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
)
