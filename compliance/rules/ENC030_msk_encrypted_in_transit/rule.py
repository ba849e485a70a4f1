"""MSK clusters encrypt traffic between clients and brokers, and between brokers.

Unset settings take the AWS defaults, which are secure: client_broker "TLS" and in_cluster true.
"TLS_PLAINTEXT" still accepts cleartext clients and fails like "PLAINTEXT".
"""

from __future__ import annotations

from compliance.analysis.results import combine
from compliance.analysis.values import blocks, describe, get, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def _client_broker(value: object) -> Result:
    if isinstance(value, Unknown):
        return Result(Status.UNKNOWN, "client_broker is not known before apply")
    shown = describe(value) if value else "unset ('TLS')"
    return Result(Status.PASS if value in (None, "", "TLS") else Status.FAIL, f"client_broker is {shown}")


def _in_cluster(value: object) -> Result:
    status = Status.PASS if value is None else truth(value)
    return Result(status, f"in_cluster is {describe(value) if value is not None else 'unset (true)'}")


def check(resource: Resource, model: Model) -> Result | None:
    info = blocks(resource.values, "encryption_info")
    if isinstance(info, Unknown):
        return Result(Status.UNKNOWN, "encryption_info is not known before apply")
    transit = get(info[0], "encryption_in_transit") if info else None
    if isinstance(transit, Unknown):
        return Result(Status.UNKNOWN, "encryption_in_transit is not known before apply")
    settings = transit[0] if isinstance(transit, list) and transit else {}
    return combine([_client_broker(settings.get("client_broker")), _in_cluster(settings.get("in_cluster"))])


RULE = Rule(
    id="ENC030",
    title="MSK cluster encrypts client and inter-broker traffic",
    severity=Severity.HIGH,
    types=("aws_msk_cluster",),
    rationale="Event streams carry transcription jobs and note events; TLS_PLAINTEXT or PLAINTEXT listeners "
    "let a misconfigured client send them in cleartext, and in_cluster = false exposes replication traffic.",
    remediation='Set encryption_info { encryption_in_transit { client_broker = "TLS", in_cluster = true } } '
    "(the defaults) and never TLS_PLAINTEXT or PLAINTEXT.",
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html",
)
