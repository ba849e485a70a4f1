"""CloudTrail trails sign their log files so tampering can be detected."""

from __future__ import annotations

from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("enable_log_file_validation")
    status = truth(value)
    if status is Status.UNKNOWN:
        return unknown("enable_log_file_validation is not known before apply")
    if status is Status.FAIL:
        return failed(f"enable_log_file_validation is {describe(value)}: log files carry no digest")
    return passed("enable_log_file_validation is true")


RULE = Rule(
    id="LOG002",
    title="CloudTrail trail validates its log files",
    severity=Severity.MEDIUM,
    types=("aws_cloudtrail",),
    rationale=(
        "Log file validation writes signed SHA-256 digests, so an auditor can prove the audit trail of "
        "access to PHI was not altered or deleted after delivery."
    ),
    remediation="Set enable_log_file_validation = true.",
    controls={"HIPAA": ("164.312(b)", "164.312(c)(1)", "164.312(c)(2)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
)
