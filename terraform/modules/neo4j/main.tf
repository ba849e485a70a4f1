# Neo4j 5 community with APOC and GDS on Fargate. /data lives on EFS (CMK at rest, TLS in transit, one
# access point), the admin password is generated during apply and written write-only to Secrets Manager,
# and a one-time task restores the S3 backup onto the volume before the service first starts.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  partition     = data.aws_partition.this.partition
  backup_object = "arn:${local.partition}:s3:::${var.backup.bucket_name}/${var.backup.object_key}"
  # Known before apply (unlike the log group's arn attribute), so policies naming it are readable in a plan.
  log_arn = "arn:${local.partition}:logs:${data.aws_region.this.name}:${data.aws_caller_identity.this.account_id}:log-group:/ecs/${var.name}"
  # Looked up only when the restore runs and no version is pinned.
  read_backup_metadata = var.restore.enabled && var.restore.version_id == null
  backup_version       = var.restore.version_id != null ? var.restore.version_id : try(data.aws_s3_object.backup[0].version_id, null)
  backup_etag          = try(data.aws_s3_object.backup[0].etag, null)
  # /data of Neo4j and of the restore task: this file system, through its access point only.
  data_volume = { name = "data", file_system_id = aws_efs_file_system.this.id, access_point_id = aws_efs_access_point.this.id }
  # Read-only mounts (the scheduled backup task); the restore task stands in when there is none, so the
  # statement never names an empty principal list.
  data_readers = length(var.data_readers) > 0 ? var.data_readers : [module.restore.task_role_arn]
  efs_client_access = {
    Effect = "Allow"
    Action = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    # The file system ARN, and only through the access point.
    Resource  = [aws_efs_file_system.this.arn]
    Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.this.arn } }
  }
}

# --- network ---------------------------------------------------------------------------------------------
resource "aws_security_group" "this" {
  name        = var.name
  description = "Neo4j ${var.name} and its restore task: Bolt and HTTPS from the API tasks only"
  vpc_id      = var.network.vpc_id

  ingress {
    description     = "Neo4j HTTPS from the API tasks (and the rotation function)"
    protocol        = "tcp"
    from_port       = 7473
    to_port         = 7473
    security_groups = [var.network.client_security_group_id]
  }

  ingress {
    description     = "Neo4j Bolt from the API tasks"
    protocol        = "tcp"
    from_port       = 7687
    to_port         = 7687
    security_groups = [var.network.client_security_group_id]
  }

  egress {
    description = "HTTPS: image and plugin downloads, S3, Secrets Manager, CloudWatch through NAT"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "NFS to the EFS mount targets"
    protocol    = "tcp"
    from_port   = 2049
    to_port     = 2049
    cidr_blocks = [var.network.vpc_cidr]
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_security_group" "efs" {
  name        = "${var.name}-efs"
  description = "EFS of ${var.name}: NFS from the Neo4j and restore tasks only"
  vpc_id      = var.network.vpc_id

  ingress {
    description     = "NFS from Neo4j and the restore task"
    protocol        = "tcp"
    from_port       = 2049
    to_port         = 2049
    security_groups = [aws_security_group.this.id]
  }

  tags = merge(var.tags, { Name = "${var.name}-efs" })
}

# --- storage -----------------------------------------------------------------------------------------------
resource "aws_efs_file_system" "this" {
  creation_token   = var.name
  encrypted        = true
  kms_key_id       = var.kms_key_arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"
  tags             = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_efs_backup_policy" "this" {
  count = var.efs_backup_policy ? 1 : 0

  file_system_id = aws_efs_file_system.this.id
  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_file_system_policy" "this" {
  file_system_id = aws_efs_file_system.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite"]
        Resource  = [aws_efs_file_system.this.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "TasksThroughAccessPoint"
        Effect    = "Allow"
        Principal = { AWS = [module.task.task_role_arn, module.restore.task_role_arn] }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = [aws_efs_file_system.this.arn]
        Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.this.arn } }
      },
      {
        Sid       = "ReadersThroughAccessPoint"
        Effect    = "Allow"
        Principal = { AWS = local.data_readers }
        Action    = ["elasticfilesystem:ClientMount"]
        Resource  = [aws_efs_file_system.this.arn]
        Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.this.arn } }
      },
    ]
  })
}

resource "aws_efs_access_point" "this" {
  file_system_id = aws_efs_file_system.this.id

  # The neo4j image runs as uid/gid 7474.
  posix_user {
    uid = 7474
    gid = 7474
  }

  root_directory {
    path = "/neo4j"
    creation_info {
      owner_uid   = 7474
      owner_gid   = 7474
      permissions = "0750"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_efs_mount_target" "this" {
  count = length(var.network.private_subnet_ids)

  file_system_id  = aws_efs_file_system.this.id
  subnet_id       = var.network.private_subnet_ids[count.index]
  security_groups = [aws_security_group.efs.id]
}

# --- admin password: ephemeral input, written write-only ------------------------------------------------------
resource "aws_secretsmanager_secret" "this" {
  name                    = var.admin_secret_name
  description             = "Neo4j admin credentials of ${var.name} (generated during apply, never in plan or state)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = merge(var.tags, { RotationStrategy = "neo4j" })
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id = aws_secretsmanager_secret.this.id
  secret_string_wo = jsonencode({
    username = "neo4j"
    password = var.admin_password
    auth     = "neo4j/${var.admin_password}"
  })
  secret_string_wo_version = var.admin_password_version
}

resource "aws_secretsmanager_secret_rotation" "this" {
  count = var.rotation.enabled ? 1 : 0

  secret_id           = aws_secretsmanager_secret.this.id
  rotation_lambda_arn = var.rotation.lambda_arn
  rotate_immediately  = false

  rotation_rules {
    automatically_after_days = var.rotation.days
  }

  depends_on = [aws_secretsmanager_secret_version.this]
}

# --- logs --------------------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  kms_key_id        = var.log.kms_key_arn
  retention_in_days = var.log.retention_days
  tags              = var.tags
}

# --- Neo4j -------------------------------------------------------------------------------------------------
module "task" {
  source = "../ecs_task"

  name           = var.name
  task_size      = { cpu = var.task_size.cpu, memory = var.task_size.memory }
  log_group_name = aws_cloudwatch_log_group.this.name
  efs_volume     = local.data_volume
  container = {
    name         = "neo4j"
    image        = var.image
    ports        = [7473, 7687]
    mount_points = [{ source_volume = "data", container_path = "/data" }]
    # Bolt accepts only TLS and HTTP is HTTPS only (7473; plaintext 7474 off): the key and certificate come
    # from the TLS secret at task start and are written where the bolt and https SSL policies read them
    # (their default file names private.key and public.crt), then the image's own entrypoint starts Neo4j.
    entry_point = ["/bin/bash", "-c"]
    command     = [file("${path.module}/start-with-tls.sh")]
    environment = [
      { name = "NEO4J_PLUGINS", value = jsonencode(var.plugins) },
      { name = "NEO4J_server_memory_heap_initial__size", value = var.task_size.heap },
      { name = "NEO4J_server_memory_heap_max__size", value = var.task_size.heap },
      { name = "NEO4J_server_memory_pagecache_size", value = var.task_size.page_cache },
      { name = "NEO4J_dbms_security_procedures_unrestricted", value = "apoc.*,gds.*" },
      { name = "NEO4J_server_bolt_tls__level", value = "REQUIRED" },
      { name = "NEO4J_dbms_ssl_policy_bolt_enabled", value = "true" },
      { name = "NEO4J_dbms_ssl_policy_bolt_base__directory", value = "/ssl/bolt" },
      { name = "NEO4J_server_http_enabled", value = "false" },
      { name = "NEO4J_server_https_enabled", value = "true" },
      { name = "NEO4J_dbms_ssl_policy_https_enabled", value = "true" },
      { name = "NEO4J_dbms_ssl_policy_https_base__directory", value = "/ssl/https" },
    ]
    secrets = [
      { name = "NEO4J_AUTH", value_from = "${aws_secretsmanager_secret.this.arn}:auth::" },
      { name = "BOLT_TLS_KEY", value_from = "${var.tls.secret_arn}:private_key::" },
      { name = "BOLT_TLS_CERTIFICATE", value_from = "${var.tls.secret_arn}:certificate::" },
    ]
    # Bolt's port answers once Neo4j is up (bash's /dev/tcp: the image has no curl).
    health_check = { command = ["CMD-SHELL", "bash -c '</dev/tcp/127.0.0.1/7687' || exit 1"], interval = 30, timeout = 5, retries = 3, start_period = 120 }
  }
  execution_policies = {
    start-task = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "WriteLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
        },
        {
          Sid      = "ReadAdminAndTlsSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = [aws_secretsmanager_secret.this.arn, var.tls.secret_arn]
        },
        {
          Sid      = "DecryptAdminSecret"
          Effect   = "Allow"
          Action   = ["kms:Decrypt"]
          Resource = [var.kms_key_arn]
        },
      ]
    })
  }
  task_policies = {
    mount-data = jsonencode({ Version = "2012-10-17", Statement = [merge(local.efs_client_access, { Sid = "MountDataThroughAccessPoint" })] })
  }
  discovery = { name = "neo4j", namespace_id = var.cluster.namespace_id }
  tags      = var.tags
}

resource "aws_ecs_service" "this" {
  name             = var.name
  cluster          = var.cluster.arn
  task_definition  = module.task.task_definition_arn
  desired_count    = 1
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  # One writer on the store at any time: stop the old task before starting the new one.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  propagate_tags                     = "SERVICE"
  enable_execute_command             = false

  network_configuration {
    subnets          = var.network.private_subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = module.task.discovery_arn
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = var.tags

  # The restore (when enabled) fills /data before Neo4j first starts; mount targets must exist.
  depends_on = [terraform_data.restore, aws_efs_mount_target.this, aws_secretsmanager_secret_version.this]
}

# --- one-time restore of the S3 backup onto /data ----------------------------------------------------------
module "restore" {
  source = "../ecs_task"

  name               = "${var.name}-restore"
  role_name_prefixes = { execution = "${var.name}-rexec-", task = "${var.name}-restore-" }
  task_size          = { cpu = 512, memory = 1024 }
  log_group_name     = aws_cloudwatch_log_group.this.name
  efs_volume         = local.data_volume
  container = {
    name         = "restore"
    image        = var.restore.image
    entry_point  = ["/bin/sh", "-c"]
    command      = [file("${path.module}/scripts/restore_task.sh")]
    mount_points = [{ source_volume = "data", container_path = "/data" }]
    environment = [
      { name = "BACKUP_BUCKET", value = var.backup.bucket_name },
      { name = "BACKUP_KEY", value = var.backup.object_key },
    ]
  }
  execution_policies = {
    write-logs = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_arn}:*"]
      }]
    })
  }
  task_policies = {
    restore-backup = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "ReadTheBackupObjectOnly"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion"]
          Resource = [local.backup_object]
        },
        {
          Sid       = "DecryptTheBackup"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [var.backup.bucket_kms_key_arn]
          Condition = { StringEquals = { "kms:ViaService" = "s3.${data.aws_region.this.name}.amazonaws.com" } }
        },
        merge(local.efs_client_access, { Sid = "WriteThisFileSystemOnly" }),
      ]
    })
  }
  tags = var.tags
}

data "aws_s3_object" "backup" {
  count = local.read_backup_metadata ? 1 : 0

  bucket = var.backup.bucket_name
  key    = var.backup.object_key
}

resource "terraform_data" "restore" {
  count = var.restore.enabled ? 1 : 0

  # Replaced (so rerun) only when the backup object or its version changes.
  triggers_replace = {
    bucket  = var.backup.bucket_name
    key     = var.backup.object_key
    version = local.backup_version
    etag    = local.backup_etag
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = coalesce(var.restore.command, "sh '${path.module}/scripts/run_restore.sh'")
    environment = {
      AWS_REGION      = data.aws_region.this.name
      ENDPOINT_URL    = var.restore.endpoint_url == null ? "" : var.restore.endpoint_url
      CLUSTER         = var.cluster.arn
      SERVICE         = var.name
      TASK_DEFINITION = module.restore.task_definition_arn
      SUBNETS         = join(",", var.network.private_subnet_ids)
      SECURITY_GROUPS = aws_security_group.this.id
      BACKUP_VERSION  = local.backup_version == null ? "" : local.backup_version
      FORCE           = var.restore.force ? "true" : "false"
      WAIT            = var.restore.wait ? "true" : "false"
    }
  }

  depends_on = [aws_efs_mount_target.this, aws_efs_file_system_policy.this, module.restore]
}
