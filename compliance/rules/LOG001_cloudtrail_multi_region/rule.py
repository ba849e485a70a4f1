"""CloudTrail trails record API activity in every region."""

from __future__ import annotations

from compliance.analysis.values import describe, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    value = resource.values.get("is_multi_region_trail")
    status = truth(value)
    if status is Status.UNKNOWN:
        return unknown("is_multi_region_trail is not known before apply")
    if status is Status.FAIL:
        return failed(
            f"is_multi_region_trail is {describe(value)}: activity in other regions goes unrecorded"
        )
    return passed("is_multi_region_trail is true")


RULE = Rule(
    id="LOG001",
    title="CloudTrail trail records every region",
    severity=Severity.HIGH,
    types=("aws_cloudtrail",),
    rationale=(
        "A single-region trail misses API calls made elsewhere, such as an attacker creating resources in "
        "an unused region or copying snapshots out of Canada. An account with no trail at all is not a "
        "resource finding and is attested manually."
    ),
    remediation="Set is_multi_region_trail = true.",
    controls={"HIPAA": ("164.312(b)", "164.308(a)(1)(ii)(D)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
)
