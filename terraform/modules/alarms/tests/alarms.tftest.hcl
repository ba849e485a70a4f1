mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    override_during = plan
    defaults        = { arn = "arn:aws:sns:ca-central-1:111122223333:notegen-test-alarms" }
  }
}

variables {
  name          = "notegen-test"
  environment   = "staging"
  kms_key_arn   = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  load_balancer = { arn_suffix = "app/notegen-test/0123", target_group_arn_suffix = "targetgroup/notegen-test/0123" }
  ecs           = { cluster_name = "notegen-test", services = { api = "notegen-test-api", neo4j = "notegen-test-neo4j" } }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "The alarm topic is encrypted with the CMK."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 9
    error_message = "5xx (target and ALB), latency, unhealthy hosts, CPU and memory per service, and Neo4j running."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["api-latency"].extended_statistic == "p95"
    error_message = "Latency is alarmed on p95."
  }
}

run "every_watched_thing_alarmed_with_actions_and_runbook" {
  command = plan
  variables {
    environment     = "prod"
    email_endpoints = ["oncall@test.notegen.example"]
    https_endpoints = ["https://alerts.test.notegen.example/sns/slack"]
    custom_metrics  = true
    data_stores = {
      opensearch          = { domain_name = "notegen-test", free_storage_mb = 4096 }
      efs_file_system_ids = ["fs-0123456789abcdef0"]
      bucket_names        = ["notegen-test-backups"]
    }
    backup   = { vault_name = "notegen-test" }
    rotation = { function_name = "notegen-test-rotation" }
  }
  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.this)) == toset([
      "api-target-5xx", "alb-5xx", "api-latency", "api-unhealthy",
      "api-cpu", "api-memory", "neo4j-cpu", "neo4j-memory",
      "neo4j-not-running", "note-generation-latency", "search-latency",
      "opensearch-red", "opensearch-yellow", "opensearch-free-storage", "opensearch-jvm-pressure",
      "efs-0-burst-credits", "bucket-0-empty", "backup-jobs-failed", "backup-archive-failed", "secret-rotation-errors",
    ])
    error_message = "The ALB, ECS services, Neo4j, the service's metrics, OpenSearch, EFS, the bucket, backups and rotation are each alarmed."
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.alarm_actions == toset(["arn:aws:sns:ca-central-1:111122223333:notegen-test-alarms"]) && a.ok_actions == a.alarm_actions])
    error_message = "Every alarm notifies the topic, when it fires and when it clears."
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : can(regex("Runbook: https://github\\.com/notegen/notegen-ai-apis/blob/main/docs/runbooks/[a-z-]+\\.md#[a-z0-9-]+$", a.alarm_description))])
    error_message = "Every alarm description links a runbook section."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["opensearch-red"].treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.this["neo4j-not-running"].treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.this["search-latency"].treat_missing_data == "notBreaching"
    error_message = "Silence from a store is an outage; silence from the service's latency metrics is no traffic."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["efs-0-burst-credits"].dimensions.FileSystemId == "fs-0123456789abcdef0" && aws_cloudwatch_metric_alarm.this["opensearch-free-storage"].dimensions.DomainName == "notegen-test"
    error_message = "Each store's alarm names it in its dimensions."
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 1 && aws_sns_topic_subscription.https["https://alerts.test.notegen.example/sns/slack"].protocol == "https"
    error_message = "Email and the Slack relay are subscribed."
  }
}

run "reject_prod_without_email" {
  command = plan
  variables {
    environment     = "prod"
    https_endpoints = ["https://alerts.test.notegen.example/sns/slack"]
  }
  expect_failures = [var.email_endpoints]
}

run "reject_prod_without_slack_relay" {
  command = plan
  variables {
    environment     = "prod"
    email_endpoints = ["oncall@test.notegen.example"]
  }
  expect_failures = [var.https_endpoints]
}

run "reject_slack_webhook_url" {
  command = plan
  variables {
    https_endpoints = ["https://hooks.slack.com/services/T000/B000/XXXX"]
  }
  expect_failures = [var.https_endpoints]
}

run "rotation_errors_alarmed_when_given" {
  command = plan
  variables {
    rotation = { function_name = "notegen-test-rotation" }
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
