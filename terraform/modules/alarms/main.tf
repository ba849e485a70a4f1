# Alarms on the API (5xx, latency, unhealthy hosts, its custom metrics), the services' CPU and memory, Neo4j's
# running tasks, OpenSearch, EFS, the data buckets, backups and failed secret rotations, sent to a
# KMS-encrypted SNS topic with email and HTTPS (Slack relay) subscribers. Every alarm names its runbook.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  # Known before apply (unlike aws_sns_topic.this.arn), so the topic policy is readable in a plan.
  topic_arn = "arn:${data.aws_partition.this.partition}:sns:${data.aws_region.this.name}:${data.aws_caller_identity.this.account_id}:${var.name}-alarms"
  p         = var.thresholds.evaluation_period
  t         = var.thresholds
  runbook   = trimsuffix(var.runbook_base_url, "/")
  # Runbook sections (GitHub anchors of docs/runbooks/*.md headings).
  rb = {
    detection = "${local.runbook}/incident-response.md#1-detection"
    triage    = "${local.runbook}/incident-response.md#2-triage-within-1-hour-of-detection"
    rollback  = "${local.runbook}/disaster-recovery.md#roll-back-a-deployment"
    neo4j     = "${local.runbook}/disaster-recovery.md#restore-neo4j-from-aws-backup"
    archive   = "${local.runbook}/disaster-recovery.md#restore-neo4j-from-the-s3-archive"
    objective = "${local.runbook}/disaster-recovery.md#objectives"
    phi       = "${local.runbook}/phi-handling.md#where-phi-lives"
    rotation  = "${local.runbook}/secrets-rotation.md#routine-rotation-of-a-vendor-key"
  }
  # Defaults of one alarm: above the threshold for two periods; missing data is fine (no traffic, no errors).
  d = { statistic = null, extended = null, comparison = "GreaterThanThreshold", period = local.p, evaluations = 2, missing = "notBreaching" }

  lb = var.load_balancer == null ? {} : {
    alb = { LoadBalancer = var.load_balancer.arn_suffix }
    tg  = { LoadBalancer = var.load_balancer.arn_suffix, TargetGroup = var.load_balancer.target_group_arn_suffix }
  }
  api_alarms = var.load_balancer == null ? {} : {
    api-target-5xx = merge(local.d, { namespace = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", statistic = "Sum", threshold = local.t.http_5xx_count, dimensions = local.lb.alb, description = "The API answers 5xx", runbook = local.rb.rollback })
    alb-5xx        = merge(local.d, { namespace = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", statistic = "Sum", threshold = local.t.http_5xx_count, dimensions = local.lb.alb, description = "The load balancer answers 5xx", runbook = local.rb.triage })
    api-latency    = merge(local.d, { namespace = "AWS/ApplicationELB", metric = "TargetResponseTime", extended = "p95", threshold = local.t.latency_p95_s, dimensions = local.lb.alb, description = "p95 latency of the API is high", runbook = local.rb.triage })
    # Missing: the target group reports nothing while no target is registered at all, which is an outage.
    api-unhealthy = merge(local.d, { namespace = "AWS/ApplicationELB", metric = "UnHealthyHostCount", statistic = "Maximum", threshold = 0, dimensions = local.lb.tg, description = "A target fails its readiness check", runbook = local.rb.rollback, missing = "breaching" })
  }
  # Keyed by the service's role (api, neo4j): keys known before apply, names of the services as dimensions.
  ecs_services = var.ecs == null ? {} : var.ecs.services
  ecs_alarms = merge(
    { for role, s in local.ecs_services : "${role}-cpu" => merge(local.d, { namespace = "AWS/ECS", metric = "CPUUtilization", statistic = "Average", threshold = local.t.cpu_percent, dimensions = { ClusterName = var.ecs.cluster_name, ServiceName = s }, description = "CPU of the ${role} service is high", runbook = local.rb.triage }) },
    { for role, s in local.ecs_services : "${role}-memory" => merge(local.d, { namespace = "AWS/ECS", metric = "MemoryUtilization", statistic = "Average", threshold = local.t.memory_percent, dimensions = { ClusterName = var.ecs.cluster_name, ServiceName = s }, description = "Memory of the ${role} service is high", runbook = local.rb.triage }) },
  )
  # Container Insights' running task count; missing data means no task reports at all: breaching.
  neo4j_alarms = !contains(keys(local.ecs_services), "neo4j") ? {} : {
    neo4j-not-running = merge(local.d, { namespace = "ECS/ContainerInsights", metric = "RunningTaskCount", statistic = "Minimum", comparison = "LessThanThreshold", threshold = 1, dimensions = { ClusterName = var.ecs.cluster_name, ServiceName = var.ecs.services.neo4j }, description = "Neo4j has no running task (the graph is unavailable)", runbook = local.rb.neo4j, missing = "breaching" })
  }
  # The service's embedded metrics (namespace NoteGen/API, dimensions Service and Env). No traffic, no data.
  custom = { Service = "api", Env = var.environment }
  custom_alarms = var.custom_metrics ? {
    note-generation-latency = merge(local.d, { namespace = "NoteGen/API", metric = "NoteGenerationLatency", extended = "p95", threshold = local.t.note_latency_p95_ms, dimensions = local.custom, description = "p95 note generation latency is high", runbook = local.rb.triage })
    search-latency          = merge(local.d, { namespace = "NoteGen/API", metric = "SearchLatency", extended = "p95", threshold = local.t.search_latency_p95_ms, dimensions = local.custom, description = "p95 search latency is high", runbook = local.rb.triage })
  } : {}
  os     = var.data_stores.opensearch
  os_dim = local.os == null ? {} : { DomainName = local.os.domain_name, ClientId = data.aws_caller_identity.this.account_id }
  opensearch_alarms = local.os == null ? {} : {
    # The domain reports every minute; silence from it is treated as red.
    opensearch-red = merge(local.d, { namespace = "AWS/ES", metric = "ClusterStatus.red", statistic = "Maximum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1, period = 60, evaluations = 1, dimensions = local.os_dim, description = "OpenSearch cluster is red (primary shards unassigned: search and ingest fail)", runbook = local.rb.detection, missing = "breaching" })
    # Silence is left to the red alarm.
    opensearch-yellow       = merge(local.d, { namespace = "AWS/ES", metric = "ClusterStatus.yellow", statistic = "Maximum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1, period = 60, evaluations = 5, dimensions = local.os_dim, description = "OpenSearch cluster is yellow (replicas unassigned)", runbook = local.rb.triage })
    opensearch-free-storage = merge(local.d, { namespace = "AWS/ES", metric = "FreeStorageSpace", statistic = "Minimum", comparison = "LessThanThreshold", threshold = local.os.free_storage_mb, dimensions = local.os_dim, description = "OpenSearch free storage is low (writes block at the flood stage)", runbook = local.rb.triage })
    opensearch-jvm-pressure = merge(local.d, { namespace = "AWS/ES", metric = "JVMMemoryPressure", statistic = "Maximum", threshold = local.t.jvm_pressure_percent, dimensions = local.os_dim, description = "OpenSearch JVM memory pressure is high", runbook = local.rb.triage })
  }
  efs_alarms = { for i, id in var.data_stores.efs_file_system_ids : "efs-${i}-burst-credits" => merge(local.d, {
    namespace = "AWS/EFS", metric = "BurstCreditBalance", statistic = "Minimum", comparison = "LessThanThreshold", threshold = local.t.efs_burst_credit_bytes, dimensions = { FileSystemId = id }, description = "EFS burst credits are running out (Neo4j I/O will be throttled)", runbook = local.rb.triage
  }) }
  # S3 storage metrics arrive once a day; a data bucket always holds objects, so no report is an empty bucket.
  bucket_alarms = { for i, b in var.data_stores.bucket_names : "bucket-${i}-empty" => merge(local.d, {
    namespace = "AWS/S3", metric = "NumberOfObjects", statistic = "Average", comparison = "LessThanThreshold", threshold = 1, period = 86400, evaluations = 1, dimensions = { BucketName = b, StorageType = "AllStorageTypes" }, description = "A data bucket holds no objects (deleted or never written)", runbook = local.rb.phi, missing = "breaching"
  }) }
  backup_alarms = var.backup == null ? {} : {
    # AWS Backup reports failures only when jobs fail: silence is success.
    backup-jobs-failed = merge(local.d, { namespace = "AWS/Backup", metric = "NumberOfBackupJobsFailed", statistic = "Sum", threshold = 0, period = 3600, evaluations = 1, dimensions = { BackupVaultName = var.backup.vault_name }, description = "An AWS Backup job failed", runbook = local.rb.neo4j })
    # The daily archive job reports 1 on success; no report in a day misses the RPO: breaching.
    backup-archive-failed = merge(local.d, { namespace = "NoteGen/Backup", metric = "BackupSucceeded", statistic = "Minimum", comparison = "LessThanThreshold", threshold = 1, period = 86400, evaluations = 1, dimensions = { Env = var.environment }, description = "The Neo4j archive to S3 failed or did not run today", runbook = local.rb.archive, missing = "breaching" })
  }

  alarms = merge(
    local.api_alarms, local.ecs_alarms, local.neo4j_alarms, local.custom_alarms, local.opensearch_alarms,
    local.efs_alarms, local.bucket_alarms, local.backup_alarms,
    var.rotation == null ? {} : {
      secret-rotation-errors = merge(local.d, { namespace = "AWS/Lambda", metric = "Errors", statistic = "Sum", threshold = 0, dimensions = { FunctionName = var.rotation.function_name }, description = "A secret rotation failed (a vendor key may be due)", runbook = local.rb.rotation })
    },
  )
}

resource "aws_sns_topic" "this" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_policy" "this" {
  arn = aws_sns_topic.this.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["sns:Publish"]
        Resource  = [local.topic_arn]
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.this.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["sns:Publish"]
        Resource  = [local.topic_arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.email_endpoints)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

# Slack: an HTTPS relay that confirms the SNS subscription and posts to the channel.
resource "aws_sns_topic_subscription" "https" {
  for_each = toset(var.https_endpoints)

  topic_arn              = aws_sns_topic.this.arn
  protocol               = "https"
  endpoint               = each.value
  endpoint_auto_confirms = false
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.description}. Runbook: ${each.value.runbook}"
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended
  dimensions          = each.value.dimensions
  period              = each.value.period
  evaluation_periods  = each.value.evaluations
  datapoints_to_alarm = each.value.evaluations
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]
  tags                = var.tags
}
