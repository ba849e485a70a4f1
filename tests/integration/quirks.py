"""Known emulator differences, each with its reason. Anything not listed here is drift or disagreement.

Each entry was seen in a run of the tier (build/integration/<backend>/replan.json and the agreement report);
keep them narrow (one attribute, one rule) so a real regression still fails.
"""

from __future__ import annotations

from tests.integration.tier import Quirk

BOTH = ("moto", "localstack")
MOTO = ("moto",)
LOCALSTACK = ("localstack",)

_MOTO_ECS = "moto's ECS service does not store this setting, so the provider sees it unset after every read"

# Re-plan differences after a successful apply that come from the emulator, not from our Terraform.
DRIFT_QUIRKS: tuple[Quirk, ...] = (
    Quirk(
        MOTO,
        "*aws_vpc_security_group_*gress_rule.*",
        "referenced_security_group_id",
        "moto returns referenced group ids as 'ACCOUNT/sg-...' where the provider expects 'sg-...'",
    ),
    Quirk(MOTO, "*aws_ecs_service.*", "availability_zone_rebalancing", _MOTO_ECS),
    Quirk(MOTO, "*aws_ecs_service.*", "enable_ecs_managed_tags", _MOTO_ECS),
    Quirk(MOTO, "*aws_ecs_service.*", "health_check_grace_period_seconds", _MOTO_ECS),
    Quirk(
        MOTO,
        "*aws_backup_*",
        "tags_all.*",
        "moto's Backup ListTags returns no tags, so the provider's default_tags look missing",
    ),
    Quirk(
        MOTO,
        "*aws_s3_bucket_replication_configuration.*",
        "rule.*.delete_marker_replication.*",
        "moto returns DeleteMarkerReplication as Disabled whatever was put",
    ),
    Quirk(
        MOTO,
        "*aws_s3_bucket_replication_configuration.*",
        "rule.*.source_selection_criteria*",
        "moto drops SourceSelectionCriteria (replica of KMS-encrypted objects) from the stored rule",
    ),
    Quirk(
        MOTO,
        "*aws_kms_key.*",
        "rotation_period_in_days",
        "moto's GetKeyRotationStatus omits RotationPeriodInDays",
    ),
    Quirk(
        MOTO,
        "*aws_lambda_function.*",
        "logging_config*",
        "moto does not store a function's LoggingConfig",
    ),
    Quirk(
        LOCALSTACK,
        "*aws_opensearch_domain.*",
        "*",
        "LocalStack's OpenSearch control plane ignores encryption, node-to-node, fine-grained access, VPC and "
        "log publishing settings, so the read-back never matches and the provider plans a replacement",
    ),
)

# (backends, resource address pattern, rule id pattern, reason): live judgments that cannot match the plan's.
# They stay visible in the report (build/test-results/integration-report.json, "explained_by_emulator").
AGREEMENT_QUIRKS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        BOTH,
        "*aws_secretsmanager_secret_version.*",
        "SEC006",
        "SEC006 judges what Terraform keeps in plan and state (a write-only secret_string_wo); the live API "
        "has no such property, and the runtime loader never reads secret values",
    ),
    (
        BOTH,
        "*aws_lambda_function.*",
        "ENC034",
        "ENC034 reads the function's code where the configuration shows it (a local zip or archive_file); "
        "the live describer reads the function's configuration only and never downloads its code",
    ),
    (
        LOCALSTACK,
        "*aws_opensearch_domain.*",
        "*",
        "LocalStack's OpenSearch control plane stores none of the domain's security settings "
        "(encryption at rest, node-to-node, fine-grained access, VPC, log publishing)",
    ),
    (
        LOCALSTACK,
        "module.stack.module.opensearch.aws_security_group.*",
        "NET011",
        "LocalStack drops the domain's VPC options, so nothing live attaches this group to OpenSearch",
    ),
    (
        LOCALSTACK,
        "module.stack.module.api.module.access_logs.aws_s3_bucket.*",
        "ENC008",
        "LocalStack cannot apply the ALB that names this bucket as its access-log target, so the plan of the "
        "covered subset cannot tell it is a log bucket (its policy is unknown before apply); live, its "
        "policy names the ELB log-delivery principal. ENC008 reads an unknown policy as 'not a log target'",
    ),
    (
        LOCALSTACK,
        "*aws_s3_bucket.*",
        "MON001",
        "the alarms (module.stack.module.alarms) depend on the ECS cluster and services LocalStack lacks, so "
        "they are left out: live, no alarm names the buckets; the covered subset's plan leaves them unknown",
    ),
)

# moto evaluates a bucket policy's Deny statements for object operations without their Condition, so the
# TLS-only policy (Deny s3:* when aws:SecureTransport is false) refuses every object request. The restore
# test lifts the policy only while it uploads the backup object, then puts back the same document.
MOTO_TLS_POLICY_REASON = "moto ignores the Condition of the bucket's DenyInsecureTransport statement"
