"""Every resource that stores or processes health data is located in a Canadian region.

RES001 judges provider configurations; this rule judges each resource where it lives, so a live scan
(which has no provider blocks) sees an applied object outside Canada too."""

from __future__ import annotations

from compliance.analysis.residency import region_result, resource_region
from compliance.model import Model, Resource, Result, Rule, Severity

# Stores, keys that decrypt them, logs, and the compute that handles health data.
LOCATED = (
    "aws_s3_bucket",
    "aws_efs_file_system",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_neptune_cluster",
    "aws_docdb_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_replication_group",
    "aws_ebs_volume",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kinesis_stream",
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    "aws_kms_key",
    "aws_cloudwatch_log_group",
    "aws_backup_vault",
    "aws_ecr_repository",
    "aws_ecs_service",
    "aws_lambda_function",
    "aws_instance",
)


def check(resource: Resource, model: Model) -> Result | None:
    return region_result(resource_region(resource), "region", model.settings.allowed_regions)


RULE = Rule(
    id="RES008",
    title="Resources that hold or process health data are located in Canadian regions",
    severity=Severity.CRITICAL,
    types=LOCATED,
    rationale="Health information must be stored and processed in Canada. A provider configuration says "
    "where resources will land; an applied object says where they are. Judging each data store, key, log "
    "group and workload by its own region catches an object created outside Canada by hand, by another "
    "root, or by a provider alias, and lets a live scan see it.",
    remediation="Create the resource with a provider in ca-central-1 or ca-west-1 (move or recreate an "
    "object that already lives elsewhere, after copying its data into Canada).",
    controls={"PIPEDA": ("4.1.3", "4.7.1")},
    check=check,
    help_uri="https://docs.aws.amazon.com/general/latest/gr/rande.html",
)
