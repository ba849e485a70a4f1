"""SQS queues state their server-side encryption: SSE-SQS or a KMS key.

Queues created since late 2022 get SSE-SQS by default, but as for S3 a default is not evidence: the queue
must say sqs_managed_sse_enabled = true or name a kms_master_key_id. Messages are transient, so an
AWS-managed key (alias/aws/sqs) is accepted.
"""

from __future__ import annotations

from compliance.analysis.values import describe, is_set, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown


def check(resource: Resource, model: Model) -> Result:
    key = resource.values.get("kms_master_key_id")
    managed = resource.values.get("sqs_managed_sse_enabled")
    if is_set(key) is Status.PASS:
        return Result(Status.PASS, f"kms_master_key_id is {describe(key)}")
    if truth(managed) is Status.PASS:
        return Result(Status.PASS, "sqs_managed_sse_enabled is true (SSE-SQS)")
    if isinstance(key, Unknown) or isinstance(managed, Unknown):
        return Result(
            Status.UNKNOWN, "kms_master_key_id or sqs_managed_sse_enabled is not known before apply"
        )
    return Result(
        Status.FAIL,
        f"kms_master_key_id is {describe(key)} and sqs_managed_sse_enabled is {describe(managed)}",
    )


RULE = Rule(
    id="ENC022",
    title="SQS queue encrypts messages at rest",
    severity=Severity.MEDIUM,
    types=("aws_sqs_queue",),
    rationale="Queues carry transcription and note-generation jobs that reference or embed health data; "
    "encryption must be stated in configuration rather than left to a service default that can be "
    "switched off with sqs_managed_sse_enabled = false.",
    remediation="Set kms_master_key_id = aws_kms_key.<name>.arn, or sqs_managed_sse_enabled = true.",
    controls={"HIPAA": ("164.312(a)(2)(iv)",), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
)
