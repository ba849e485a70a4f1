mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:ca-central-1:111122223333:notegen-test-alarms" }
  }
}

variables {
  name          = "notegen-test"
  kms_key_arn   = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  load_balancer = { arn_suffix = "app/notegen-test/0123", target_group_arn_suffix = "targetgroup/notegen-test/0123" }
  ecs           = { cluster_name = "notegen-test", service_names = ["notegen-test-api", "notegen-test-neo4j"] }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "The alarm topic is encrypted with the CMK."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 8
    error_message = "5xx (target and ALB), latency, unhealthy hosts, and CPU and memory per service."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["api-latency"].extended_statistic == "p95"
    error_message = "Latency is alarmed on p95."
  }
}

run "rotation_errors_alarmed_when_given" {
  command = plan
  variables {
    rotation_function_name = "notegen-test-rotation"
  }
  assert {
    condition     = contains(keys(aws_cloudwatch_metric_alarm.this), "secret-rotation-errors")
    error_message = "Failed rotations are alarmed."
  }
}

run "reject_bad_email" {
  command = plan
  variables {
    email_endpoints = ["not-an-email"]
  }
  expect_failures = [var.email_endpoints]
}

run "reject_bad_cpu_threshold" {
  command = plan
  variables {
    thresholds = { cpu_percent = 150 }
  }
  expect_failures = [var.thresholds]
}
