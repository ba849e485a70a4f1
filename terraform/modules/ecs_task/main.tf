# One Fargate task: its definition (one essential container, optional sidecars, optional EFS volume), the execution role that
# starts it, the task role its code runs as, their inline policies, and optionally a Cloud Map service.
# Shared by the API service, Neo4j and Neo4j's one-time restore task.
data "aws_region" "this" {}

locals {
  c = var.container
  role_prefixes = coalesce(var.role_name_prefixes, {
    execution = "${var.name}-exec-"
    task      = "${var.name}-task-"
  })
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
    }]
  })
  # ECS's container definition. Unset (null) fields are left out of the JSON; whether a field is set is decided
  # from the input's shape (always known), never from its value (which may be known only after apply).
  fields = {
    name                   = local.c.name
    image                  = local.c.image
    essential              = true
    cpu                    = var.task_size.cpu - local.sidecar_cpu
    memory                 = var.task_size.memory - local.sidecar_memory
    readonlyRootFilesystem = local.c.readonly_root_filesystem
    entryPoint             = local.c.entry_point
    command                = local.c.command
    portMappings           = local.c.ports == null ? null : [for port in local.c.ports : { containerPort = port, protocol = "tcp" }]
    mountPoints = local.c.mount_points == null ? null : [for m in local.c.mount_points : {
      sourceVolume  = m.source_volume
      containerPath = m.container_path
      readOnly      = m.read_only
    }]
    environment = local.c.environment
    secrets     = local.c.secrets == null ? null : [for s in local.c.secrets : { name = s.name, valueFrom = s.value_from }]
    healthCheck = local.c.health_check == null ? null : {
      command     = local.c.health_check.command
      interval    = local.c.health_check.interval
      timeout     = local.c.health_check.timeout
      retries     = local.c.health_check.retries
      startPeriod = local.c.health_check.start_period
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_group_name
        awslogs-region        = data.aws_region.this.name
        awslogs-stream-prefix = local.c.name
      }
    }
  }
  set = {
    name                   = true
    image                  = true
    essential              = true
    cpu                    = true
    memory                 = true
    readonlyRootFilesystem = local.c.readonly_root_filesystem != null
    entryPoint             = local.c.entry_point != null
    command                = local.c.command != null
    portMappings           = local.c.ports != null
    mountPoints            = local.c.mount_points != null
    environment            = local.c.environment != null
    secrets                = local.c.secrets != null
    healthCheck            = local.c.health_check != null
    logConfiguration       = true
  }
  container = { for key, value in local.fields : key => value if local.set[key] }

  # Sidecars (e.g. the OpenTelemetry collector): their CPU and memory come out of the main container's share.
  sidecar_cpu    = sum(concat([0], [for s in var.sidecars : s.cpu]))
  sidecar_memory = sum(concat([0], [for s in var.sidecars : s.memory]))
  sidecars = [for s in var.sidecars : merge(
    {
      name                   = s.name
      image                  = s.image
      essential              = s.essential
      cpu                    = s.cpu
      memory                 = s.memory
      readonlyRootFilesystem = s.readonly_root_filesystem
      environment            = s.environment
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_group_name
          awslogs-region        = data.aws_region.this.name
          awslogs-stream-prefix = s.name
        }
      }
    },
    s.command == null ? {} : { command = s.command },
    s.health_check == null ? {} : {
      healthCheck = {
        command     = s.health_check.command
        interval    = s.health_check.interval
        timeout     = s.health_check.timeout
        retries     = s.health_check.retries
        startPeriod = s.health_check.start_period
      }
    },
  )]
}

# --- roles: the execution role starts the task, the task role is what the code may do ---------------------
resource "aws_iam_role" "execution" {
  name_prefix        = local.role_prefixes.execution
  assume_role_policy = local.assume_role_policy
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  for_each = var.execution_policies

  name   = each.key
  role   = aws_iam_role.execution.id
  policy = each.value
}

resource "aws_iam_role" "task" {
  name_prefix        = local.role_prefixes.task
  assume_role_policy = local.assume_role_policy
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  for_each = var.task_policies

  name   = each.key
  role   = aws_iam_role.task.id
  policy = each.value
}

# --- task definition -----------------------------------------------------------------------------------------
resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_size.cpu
  memory                   = var.task_size.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  dynamic "volume" {
    for_each = var.efs_volume == null ? [] : [var.efs_volume]
    content {
      name = volume.value.name
      efs_volume_configuration {
        file_system_id     = volume.value.file_system_id
        transit_encryption = "ENABLED"
        authorization_config {
          access_point_id = volume.value.access_point_id
          iam             = "ENABLED"
        }
      }
    }
  }

  container_definitions = jsonencode(concat([local.container], local.sidecars))

  tags = var.tags
}

# --- discovery: <name>.<namespace> resolves to the running tasks ----------------------------------------------
resource "aws_service_discovery_service" "this" {
  count = var.discovery == null ? 0 : 1

  name = var.discovery.name

  dns_config {
    namespace_id   = var.discovery.namespace_id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  tags = var.tags
}
