# Alarms on the API's health (5xx, latency, unhealthy hosts), the services' CPU and memory and failed
# secret rotations, sent to a KMS-encrypted SNS topic.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  # Known before apply (unlike aws_sns_topic.this.arn), so the topic policy is readable in a plan.
  topic_arn = "arn:${data.aws_partition.this.partition}:sns:${data.aws_region.this.name}:${data.aws_caller_identity.this.account_id}:${var.name}-alarms"
  alb       = { LoadBalancer = var.load_balancer.arn_suffix }
  tg        = { LoadBalancer = var.load_balancer.arn_suffix, TargetGroup = var.load_balancer.target_group_arn_suffix }
  p         = var.thresholds.evaluation_period

  alarms = merge(
    {
      api-target-5xx = { namespace = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", statistic = "Sum", extended = null, threshold = var.thresholds.http_5xx_count, dimensions = local.alb, description = "The API answers 5xx" }
      alb-5xx        = { namespace = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", statistic = "Sum", extended = null, threshold = var.thresholds.http_5xx_count, dimensions = local.alb, description = "The load balancer answers 5xx" }
      api-latency    = { namespace = "AWS/ApplicationELB", metric = "TargetResponseTime", statistic = null, extended = "p95", threshold = var.thresholds.latency_p95_s, dimensions = local.alb, description = "p95 latency of the API is high" }
      api-unhealthy  = { namespace = "AWS/ApplicationELB", metric = "UnHealthyHostCount", statistic = "Maximum", extended = null, threshold = 0, dimensions = local.tg, description = "A target fails its readiness check" }
    },
    merge([for s in var.ecs.service_names : {
      "${s}-cpu"    = { namespace = "AWS/ECS", metric = "CPUUtilization", statistic = "Average", extended = null, threshold = var.thresholds.cpu_percent, dimensions = { ClusterName = var.ecs.cluster_name, ServiceName = s }, description = "CPU of ${s} is high" }
      "${s}-memory" = { namespace = "AWS/ECS", metric = "MemoryUtilization", statistic = "Average", extended = null, threshold = var.thresholds.memory_percent, dimensions = { ClusterName = var.ecs.cluster_name, ServiceName = s }, description = "Memory of ${s} is high" }
    }]...),
    var.rotation_function_name == null ? {} : {
      secret-rotation-errors = { namespace = "AWS/Lambda", metric = "Errors", statistic = "Sum", extended = null, threshold = 0, dimensions = { FunctionName = var.rotation_function_name }, description = "A secret rotation failed (a vendor key may be due)" }
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

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended
  dimensions          = each.value.dimensions
  period              = local.p
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]
  tags                = var.tags
}
