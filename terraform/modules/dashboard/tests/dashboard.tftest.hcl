mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "ca-central-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
}

variables {
  name                     = "notegen-test"
  environment              = "prod"
  load_balancer_arn_suffix = "app/notegen-test/0123"
  ecs                      = { cluster_name = "notegen-test", api_service_name = "notegen-test-api", neo4j_service_name = "notegen-test-neo4j" }
  opensearch_domain_name   = "notegen-test"
  efs_file_system_ids      = ["fs-0123456789abcdef0"]
  backup_vault_name        = "notegen-test"
}

run "every_widget_present" {
  command = plan

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.title] == [
      "ALB 5xx", "Target latency p95", "ECS CPU (API, Neo4j)", "ECS memory (API, Neo4j)", "Neo4j running tasks",
      "OpenSearch cluster status", "OpenSearch free storage (MiB)", "OpenSearch JVM memory pressure",
      "EFS burst credit balance", "Backup jobs", "API ingest count", "API latencies p95 (ms)",
    ]
    error_message = "The dashboard shows the ALB, ECS, Neo4j, OpenSearch, EFS, backups and the service's metrics."
  }
  assert {
    condition = toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in w.properties.metrics : "${m[0]}/${m[1]}"]])) == toset([
      "AWS/ApplicationELB/HTTPCode_Target_5XX_Count", "AWS/ApplicationELB/HTTPCode_ELB_5XX_Count", "AWS/ApplicationELB/TargetResponseTime",
      "AWS/ECS/CPUUtilization", "AWS/ECS/MemoryUtilization", "ECS/ContainerInsights/RunningTaskCount",
      "AWS/ES/ClusterStatus.red", "AWS/ES/ClusterStatus.yellow", "AWS/ES/FreeStorageSpace", "AWS/ES/JVMMemoryPressure",
      "AWS/EFS/BurstCreditBalance", "AWS/Backup/NumberOfBackupJobsFailed", "NoteGen/Backup/BackupSucceeded",
      "NoteGen/Backup/ValidationSucceeded", "NoteGen/API/IngestCount", "NoteGen/API/NoteGenerationLatency", "NoteGen/API/SearchLatency",
    ])
    error_message = "Every metric of the brief is on the dashboard, and nothing else."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets[11].properties.metrics[0] == ["NoteGen/API", "NoteGenerationLatency", "Service", "api", "Env", "prod"]
    error_message = "The service's metrics are read with its dimensions (Service = api, Env)."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets[1].properties.stat == "p95"
    error_message = "Target latency is shown at p95."
  }
}

run "reject_unknown_environment" {
  command = plan
  variables {
    environment = "dev"
  }
  expect_failures = [var.environment]
}
