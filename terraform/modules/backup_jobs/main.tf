# Scheduled backup of the Neo4j data volume and scheduled validation of the archive it writes.
# Backup: EventBridge Scheduler runs a one-time Fargate task that stops Neo4j (Community has no online
# backup), archives /data read-only, gives Neo4j its tasks back, and uploads the archive to the key the
# restore task reads plus a dated copy. Validation: a second schedule runs a task that restores the latest
# archive onto scratch storage (never the live EFS), starts Neo4j on it, checks it, and reports
# ValidationSucceeded; an alarm fires when that is below 1 or missing.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  partition   = data.aws_partition.this.partition
  region      = data.aws_region.this.name
  account_id  = data.aws_caller_identity.this.account_id
  scripts     = "${path.module}/../neo4j/scripts"
  bucket_arn  = "arn:${local.partition}:s3:::${var.backup.bucket_name}"
  log_name    = "/ecs/${var.name}"
  log_arn     = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_name}"
  service_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${var.cluster.name}/${var.neo4j.service_name}"
  metric_env = [
    { name = "METRIC_NAMESPACE", value = var.metric_namespace },
    { name = "METRIC_ENV", value = var.environment },
    # AWS_REGION: Fargate sets it in every container.
  ]
  assume_ecs_tasks = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
    }]
  })
  assume_scheduler = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  write_logs = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${local.log_arn}:*"]
    }]
  })
  put_metrics = {
    Sid       = "PutBackupMetricsOnly"
    Effect    = "Allow"
    Action    = ["cloudwatch:PutMetricData"]
    Resource  = ["*"] # PutMetricData has no resource type; the namespace condition scopes it
    Condition = { StringEquals = { "cloudwatch:namespace" = var.metric_namespace } }
  }
  log_options = { awslogs-group = local.log_name, awslogs-region = local.region }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_name
  kms_key_id        = var.log.kms_key_arn
  retention_in_days = var.log.retention_days
  tags              = var.tags
}

# --- the backup task ------------------------------------------------------------------------------------------
module "backup_task" {
  source = "../ecs_task"

  name           = var.name
  task_size      = { cpu = 512, memory = 1024 }
  log_group_name = aws_cloudwatch_log_group.this.name
  efs_volume     = { name = "data", file_system_id = var.neo4j.file_system_id, access_point_id = var.neo4j.access_point_id }
  container = {
    name         = "backup"
    image        = var.images.backup
    entry_point  = ["/bin/sh", "-c"]
    command      = [file("${local.scripts}/backup_task.sh")]
    mount_points = [{ source_volume = "data", container_path = "/data", read_only = true }]
    environment = concat(local.metric_env, [
      { name = "BACKUP_BUCKET", value = var.backup.bucket_name },
      { name = "BACKUP_KEY", value = var.backup.object_key },
      { name = "DATED_PREFIX", value = var.backup.dated_prefix },
      { name = "CLUSTER", value = var.cluster.arn },
      { name = "SERVICE", value = var.neo4j.service_name },
    ])
  }
  execution_policies = { write-logs = local.write_logs }
  task_policies = {
    backup = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "WriteTheArchiveAndItsDatedCopies"
          Effect   = "Allow"
          Action   = ["s3:PutObject"]
          Resource = ["${local.bucket_arn}/${var.backup.object_key}", "${local.bucket_arn}/${var.backup.dated_prefix}/dated/*"]
        },
        {
          Sid       = "EncryptThroughS3"
          Effect    = "Allow"
          Action    = ["kms:GenerateDataKey", "kms:Decrypt"] # Decrypt: multipart uploads of SSE-KMS objects
          Resource  = [var.backup.kms_key_arn]
          Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
        },
        {
          Sid      = "StopAndStartNeo4jOnly"
          Effect   = "Allow"
          Action   = ["ecs:DescribeServices", "ecs:UpdateService"]
          Resource = [local.service_arn]
        },
        {
          Sid       = "ReadTheDataVolume"
          Effect    = "Allow"
          Action    = ["elasticfilesystem:ClientMount"]
          Resource  = [var.neo4j.file_system_arn]
          Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = var.neo4j.access_point_arn } }
        },
        local.put_metrics,
      ]
    })
  }
  tags = var.tags
}

# --- the validation task: restore onto scratch storage, Neo4j on it, check, report ------------------------------
resource "aws_security_group" "validation" {
  name        = "${var.name}-validation"
  description = "Backup validation task: no ingress; HTTPS out for S3, CloudWatch and image pulls"
  vpc_id      = var.network.vpc_id

  egress {
    description = "HTTPS: S3, CloudWatch, ECR through NAT"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, { Name = "${var.name}-validation" })
}

resource "aws_iam_role" "validation_execution" {
  name_prefix        = "${var.name}-vexec-"
  assume_role_policy = local.assume_ecs_tasks
  tags               = var.tags
}

resource "aws_iam_role_policy" "validation_execution" {
  name = "start-task"
  role = aws_iam_role.validation_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      jsondecode(local.write_logs).Statement[0],
      {
        Sid      = "ReadTheTlsSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.tls.secret_arn]
      },
      {
        Sid       = "DecryptTheTlsSecret"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.tls.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${local.region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_iam_role" "validation_task" {
  name_prefix        = "${var.name}-vtask-"
  assume_role_policy = local.assume_ecs_tasks
  tags               = var.tags
}

resource "aws_iam_role_policy" "validation_task" {
  name = "validate-backup"
  role = aws_iam_role.validation_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadTheArchiveOnly"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.bucket_arn}/${var.backup.object_key}"]
      },
      {
        Sid       = "DecryptThroughS3"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.backup.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
      },
      local.put_metrics,
    ]
  })
}

resource "aws_ecs_task_definition" "validation" {
  family                   = "${var.name}-validation"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 4096
  execution_role_arn       = aws_iam_role.validation_execution.arn
  task_role_arn            = aws_iam_role.validation_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  ephemeral_storage {
    size_in_gib = var.validation.ephemeral_storage_gib
  }

  # Task storage shared by the containers: the archive and the restored store. Not EFS, never the live data.
  volume {
    name = "scratch"
  }

  container_definitions = jsonencode([
    {
      # Opens the scratch volume to both other containers (they run as non-root users), then exits.
      name             = "scratch"
      image            = var.images.backup
      essential        = false
      user             = "0"
      entryPoint       = ["/bin/sh", "-c"]
      command          = ["chmod 1777 /scratch"]
      mountPoints      = [{ sourceVolume = "scratch", containerPath = "/scratch", readOnly = false }]
      logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { awslogs-stream-prefix = "scratch" }) }
    },
    {
      # Neo4j on the restored copy: loopback only (the task has no ingress), Bolt over TLS only with the
      # service's own key and certificate (the neo4j module's start script), auth off, no plugins.
      name        = "restored-neo4j"
      image       = var.images.neo4j
      essential   = false
      entryPoint  = ["/bin/bash", "-c"]
      command     = [join("\n", [file("${local.scripts}/validate_neo4j.sh"), file("${path.module}/../neo4j/start-with-tls.sh")])]
      dependsOn   = [{ containerName = "scratch", condition = "SUCCESS" }]
      mountPoints = [{ sourceVolume = "scratch", containerPath = "/scratch", readOnly = false }]
      environment = [
        { name = "NEO4J_dbms_security_auth__enabled", value = "false" },
        { name = "NEO4J_server_directories_data", value = "/scratch/data" },
        { name = "NEO4J_server_default__listen__address", value = "127.0.0.1" },
        { name = "NEO4J_server_bolt_tls__level", value = "REQUIRED" },
        { name = "NEO4J_dbms_ssl_policy_bolt_enabled", value = "true" },
        { name = "NEO4J_dbms_ssl_policy_bolt_base__directory", value = "/ssl/bolt" },
        { name = "NEO4J_server_http_enabled", value = "false" },
        { name = "NEO4J_server_memory_heap_max__size", value = var.validation.heap },
      ]
      secrets = [
        { name = "BOLT_TLS_KEY", valueFrom = "${var.tls.secret_arn}:private_key::" },
        { name = "BOLT_TLS_CERTIFICATE", valueFrom = "${var.tls.secret_arn}:certificate::" },
      ]
      logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { awslogs-stream-prefix = "restored-neo4j" }) }
    },
    {
      # Fetches and unpacks the latest archive, waits for Neo4j, checks it, publishes ValidationSucceeded.
      name                   = "validate"
      image                  = var.images.validate
      essential              = true
      readonlyRootFilesystem = true
      entryPoint             = ["python", "-c"]
      command                = [file("${local.scripts}/validate_backup.py")]
      dependsOn              = [{ containerName = "scratch", condition = "SUCCESS" }]
      mountPoints            = [{ sourceVolume = "scratch", containerPath = "/scratch", readOnly = false }]
      environment = concat(local.metric_env, [
        { name = "BACKUP_BUCKET", value = var.backup.bucket_name },
        { name = "BACKUP_KEY", value = var.backup.object_key },
        { name = "SCRATCH_DIR", value = "/scratch" },
        # Encrypted; the certificate names the service's host, never 127.0.0.1, so it is not verified here.
        { name = "NEO4J_URI", value = "bolt+ssc://127.0.0.1:7687" },
        { name = "NEO4J_WAIT_SECONDS", value = tostring(var.validation.neo4j_wait_seconds) },
        { name = "BACKUP_MAX_AGE_HOURS", value = tostring(var.validation.max_age_hours) },
      ])
      logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { awslogs-stream-prefix = "validate" }) }
    },
  ])

  tags = var.tags
}

# --- schedules: each role may start only its own task definition and pass only its two roles -------------------
locals {
  jobs = {
    backup = {
      schedule        = var.schedules.backup
      task_definition = module.backup_task.task_definition_arn
      roles           = [module.backup_task.execution_role_arn, module.backup_task.task_role_arn]
      security_group  = var.network.backup_security_group_id
      description     = "Stop Neo4j, archive its data volume to the backup bucket, start it again"
    }
    validation = {
      schedule        = var.schedules.validation
      task_definition = aws_ecs_task_definition.validation.arn
      roles           = [aws_iam_role.validation_execution.arn, aws_iam_role.validation_task.arn]
      security_group  = aws_security_group.validation.id
      description     = "Restore the latest Neo4j archive onto scratch storage and check it"
    }
  }
}

resource "aws_iam_role" "scheduler" {
  for_each = local.jobs

  name_prefix        = "${var.name}-${substr(each.key, 0, 3)}-sch-"
  assume_role_policy = local.assume_scheduler
  tags               = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  for_each = local.jobs

  name = "run-${each.key}-task"
  role = aws_iam_role.scheduler[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "RunThisTaskDefinitionOnly"
        Effect    = "Allow"
        Action    = ["ecs:RunTask"]
        Resource  = [each.value.task_definition]
        Condition = { ArnEquals = { "ecs:cluster" = var.cluster.arn } }
      },
      {
        Sid       = "PassItsTwoRolesToEcsTasks"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = each.value.roles
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_scheduler_schedule" "this" {
  for_each = local.jobs

  name                         = "${var.name}-${each.key}"
  description                  = each.value.description
  schedule_expression          = each.value.schedule
  schedule_expression_timezone = var.schedules.timezone
  state                        = var.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.cluster.arn
    role_arn = aws_iam_role.scheduler[each.key].arn

    ecs_parameters {
      task_definition_arn = each.value.task_definition
      launch_type         = "FARGATE"
      platform_version    = "LATEST"
      task_count          = 1

      network_configuration {
        subnets          = var.network.private_subnet_ids
        security_groups  = [each.value.security_group]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 2
    }
  }
}

# --- alarm: a validation that failed, or none at all, within the period -------------------------------------------
resource "aws_cloudwatch_metric_alarm" "validation" {
  alarm_name          = "${var.name}-validation-failed"
  alarm_description   = "The latest Neo4j backup did not validate (or no validation reported) within the period. Runbook: ${var.alarm.runbook_url}"
  namespace           = var.metric_namespace
  metric_name         = "ValidationSucceeded"
  dimensions          = { Env = var.environment }
  statistic           = "Minimum"
  period              = var.alarm.period
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm.topic_arn]
  ok_actions          = [var.alarm.topic_arn]
  tags                = var.tags
}
