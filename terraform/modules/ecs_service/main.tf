# The FastAPI service on Fargate behind an internet-facing ALB that speaks only TLS 1.2+/1.3.
locals {
  container_name = "api"
  environment = merge(
    var.environment_variables,
    { PORT = tostring(var.container_port) },
    var.otel_collector == null ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT = "http://${local.otlp_endpoint}" },
  )

  secret_arn_list = distinct([for s in values(var.secret_arns) : s.secret_arn])
  container_secrets = concat(
    [for name, s in var.secret_arns : {
      name       = name
      value_from = s.json_key == null ? s.secret_arn : "${s.secret_arn}:${s.json_key}::"
    }],
    [for name, arn in var.parameters : { name = name, value_from = arn }],
  )

  certificate_arn = var.certificate.wait_for_validation ? aws_acm_certificate_validation.this[0].certificate_arn : aws_acm_certificate.this.arn
}

# --- network -------------------------------------------------------------------------------------------
resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "ALB of ${var.name}: HTTPS (and HTTP redirect) from the internet, to the tasks only"
  vpc_id      = var.network.vpc_id

  ingress {
    description = "HTTPS from the internet"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTP from the internet, redirected to HTTPS"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To the API tasks in the VPC"
    protocol    = "tcp"
    from_port   = var.container_port
    to_port     = var.container_port
    cidr_blocks = [var.network.vpc_cidr]
  }

  tags = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "API tasks of ${var.name}: reachable only from the ALB"
  vpc_id      = var.network.vpc_id

  ingress {
    description     = "From the ALB only"
    protocol        = "tcp"
    from_port       = var.container_port
    to_port         = var.container_port
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    description = "HTTPS: AWS APIs through NAT, Azure OpenAI, Langfuse, OpenSearch"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Neo4j HTTPS and Bolt inside the VPC (7473-7687)"
    protocol    = "tcp"
    from_port   = 7473
    to_port     = 7687
    cidr_blocks = [var.network.vpc_cidr]
  }

  tags = merge(var.tags, { Name = var.name })
}

# --- load balancer --------------------------------------------------------------------------------------
# Elastic Load Balancing log delivery: the regional ELB account in regions older than August 2022
# (ca-central-1: 985666609251) and the log delivery service principal in newer ones (ca-west-1).
locals {
  elb_log_principal = {
    AWS     = ["arn:aws:iam::985666609251:root"]
    Service = ["logdelivery.elasticloadbalancing.amazonaws.com"]
  }
}

module "access_logs" {
  source = "../s3_bucket"

  name                  = var.access_logs.bucket_name
  log_delivery_sse_s3   = true
  force_destroy         = var.access_logs.force_destroy
  expiration_days       = var.access_logs.expiration_days
  transition_to_ia_days = 30
  policy_statements = [{
    Sid       = "ElbWritesAccessLogs"
    Effect    = "Allow"
    Principal = local.elb_log_principal
    Action    = ["s3:PutObject"]
    Resource  = ["arn:aws:s3:::${var.access_logs.bucket_name}/${var.name}/*"]
  }]
  tags = var.tags
}

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.alb.deletion_protection
  idle_timeout               = var.alb.idle_timeout

  access_logs {
    bucket  = module.access_logs.id
    prefix  = var.name
    enabled = var.access_logs.enabled
  }

  depends_on = [module.access_logs]

  tags = var.tags
}

resource "aws_lb_target_group" "this" {
  name                 = var.name
  port                 = var.container_port
  protocol             = "HTTPS" # the task serves TLS itself (api-tls secret): no plaintext hop in the VPC
  target_type          = "ip"
  vpc_id               = var.network.vpc_id
  deregistration_delay = 30

  health_check {
    protocol            = "HTTPS"
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_acm_certificate" "this" {
  domain_name               = var.certificate.domain_name
  subject_alternative_names = var.certificate.subject_alternative_names
  validation_method         = "DNS"
  key_algorithm             = "RSA_2048"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = var.tags
}

resource "aws_acm_certificate_validation" "this" {
  count = var.certificate.wait_for_validation ? 1 : 0

  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for o in aws_acm_certificate.this.domain_validation_options : o.resource_record_name]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

# --- task and service ------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  kms_key_id        = var.log.kms_key_arn
  retention_in_days = var.log.retention_days
  tags              = var.tags
}

# --- telemetry: the OpenTelemetry collector sidecar (OTLP on loopback in, X-Ray and EMF out) -----------------
locals {
  otlp_endpoint = "127.0.0.1:4317" # inside the task only: awsvpc tasks share the loopback interface
  otel_config = yamlencode({
    extensions = { health_check = { endpoint = "127.0.0.1:13133" } }
    receivers  = { otlp = { protocols = { grpc = { endpoint = local.otlp_endpoint } } } }
    processors = { batch = {} }
    exporters = {
      awsxray = { region = data.aws_region.this.name }
      awsemf = {
        region                  = data.aws_region.this.name
        namespace               = var.otel_collector == null ? "" : var.otel_collector.metrics_namespace
        log_group_name          = aws_cloudwatch_log_group.this.name
        log_stream_name         = "otel-emf/{TaskId}"
        dimension_rollup_option = "NoDimensionRollup"
      }
    }
    service = {
      extensions = ["health_check"]
      pipelines = {
        traces  = { receivers = ["otlp"], processors = ["batch"], exporters = ["awsxray"] }
        metrics = { receivers = ["otlp"], processors = ["batch"], exporters = ["awsemf"] }
      }
    }
  })
  otel_sidecars = var.otel_collector == null ? [] : [{
    name        = "otel-collector"
    image       = var.otel_collector.image
    essential   = false # losing traces must not stop the API
    environment = [{ name = "AOT_CONFIG_CONTENT", value = local.otel_config }]
    health_check = {
      command      = ["/healthcheck"]
      interval     = 30
      timeout      = 5
      retries      = 3
      start_period = 10
    }
  }]
  # The collector sends with the task role. X-Ray's trace and sampling actions have no resource-level
  # permissions (Resource "*" only); EMF goes to the service's own log group.
  telemetry_statements = [
    {
      Sid      = "XRayTracesCannotBeScoped"
      Effect   = "Allow"
      Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
      Resource = "*"
    },
    {
      Sid      = "EmfToOwnLogGroup"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
    },
  ]
}

data "aws_region" "this" {}

# --- the task: definition, execution and task roles, Cloud Map registration ----------------------------------
locals {
  # The execution role starts the task: pull the image, write logs, read the container's secrets.
  execution_statements = {
    start-task = [
      {
        Sid      = "EcrAuthorizationCannotBeScoped"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [var.image.repository_arn]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
    ]
    read-secrets = length(var.secret_arns) == 0 ? null : [{
      Sid      = "ReadSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = local.secret_arn_list
    }]
    read-parameters = length(var.parameters) == 0 ? null : [{
      Sid      = "ReadParameters"
      Effect   = "Allow"
      Action   = ["ssm:GetParameters"]
      Resource = values(var.parameters)
    }]
    decrypt-secrets = length(var.decrypt_kms_key_arns) == 0 ? null : [{
      Sid      = "DecryptSecretsAndParameters"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = var.decrypt_kms_key_arns
    }]
  }
  # The task role is what the code may do.
  application_statements = [for s in var.task_policy_statements : {
    Sid      = s.sid
    Effect   = "Allow"
    Action   = s.actions
    Resource = s.resources
  }]
}

module "task" {
  source = "../ecs_task"

  name           = var.name
  task_size      = var.task_size
  log_group_name = aws_cloudwatch_log_group.this.name
  container = {
    name                     = local.container_name
    image                    = "${var.image.repository_url}:${var.image.tag}"
    readonly_root_filesystem = true
    ports                    = [var.container_port]
    environment              = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    secrets                  = local.container_secrets
    health_check             = var.container_health_check
  }
  sidecars = local.otel_sidecars
  execution_policies = {
    for name, statements in local.execution_statements : name => jsonencode({ Version = "2012-10-17", Statement = statements })
    if statements != null
  }
  task_policies = merge(
    length(var.task_policy_statements) == 0 ? {} : {
      application = jsonencode({ Version = "2012-10-17", Statement = local.application_statements })
    },
    var.otel_collector == null ? {} : {
      telemetry = jsonencode({ Version = "2012-10-17", Statement = local.telemetry_statements })
    },
  )
  discovery = { name = "api", namespace_id = var.cluster.namespace_id }
  tags      = var.tags
}

resource "aws_ecs_service" "this" {
  name                              = var.name
  cluster                           = var.cluster.arn
  task_definition                   = module.task.task_definition_arn
  desired_count                     = var.scaling.desired_count
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  service_registries {
    registry_arn = module.task.discovery_arn
  }

  # Zero downtime: new tasks start before old ones stop; a failing deployment rolls itself back.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "alarms" {
    for_each = length(var.deployment_alarms) == 0 ? [] : [var.deployment_alarms]
    content {
      alarm_names = alarms.value
      enable      = true
      rollback    = true
    }
  }

  lifecycle {
    # desired_count is owned by application auto scaling; task_definition by the deploy tool
    # (tools/deploy.py): Terraform registers the first revision, later revisions are deployed by digest.
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_lb_listener.https]

  tags = var.tags
}

resource "aws_appautoscaling_target" "this" {
  count = var.scaling.autoscaling ? 1 : 0

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster.name}/${aws_ecs_service.this.name}"
  min_capacity       = var.scaling.min_count
  max_capacity       = var.scaling.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  count = var.scaling.autoscaling ? 1 : 0

  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.scaling.cpu_target_percent
    scale_in_cooldown  = var.scaling.scale_in_cooldown_s
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "memory" {
  count = var.scaling.autoscaling ? 1 : 0

  name               = "${var.name}-memory"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.scaling.memory_target_pct
    scale_in_cooldown  = var.scaling.scale_in_cooldown_s
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageMemoryUtilization"
    }
  }
}
