# One CloudWatch dashboard per env: the API at the load balancer, the services' CPU and memory, Neo4j's running
# tasks, OpenSearch, EFS, backups and the service's own metrics (NoteGen/API).
data "aws_caller_identity" "this" {}
data "aws_region" "this" {}

locals {
  region = data.aws_region.this.name
  api    = { Service = "api", Env = var.environment }
  os     = ["DomainName", var.opensearch_domain_name, "ClientId", data.aws_caller_identity.this.account_id]
  ecs    = { for s in [var.ecs.api_service_name, var.ecs.neo4j_service_name] : s => ["ClusterName", var.ecs.cluster_name, "ServiceName", s] }

  # title => metrics (CloudWatch's array form: namespace, metric, dimension name/value pairs, options).
  widgets = [
    { title = "ALB 5xx", stat = "Sum", metrics = [
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix],
      ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix],
    ] },
    { title = "Target latency p95", stat = "p95", metrics = [
      ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.load_balancer_arn_suffix],
    ] },
    { title = "ECS CPU (API, Neo4j)", stat = "Average", metrics = [for s, d in local.ecs : concat(["AWS/ECS", "CPUUtilization"], d)] },
    { title = "ECS memory (API, Neo4j)", stat = "Average", metrics = [for s, d in local.ecs : concat(["AWS/ECS", "MemoryUtilization"], d)] },
    { title = "Neo4j running tasks", stat = "Minimum", metrics = [
      concat(["ECS/ContainerInsights", "RunningTaskCount"], local.ecs[var.ecs.neo4j_service_name]),
    ] },
    { title = "OpenSearch cluster status", stat = "Maximum", metrics = [
      concat(["AWS/ES", "ClusterStatus.red"], local.os),
      concat(["AWS/ES", "ClusterStatus.yellow"], local.os),
    ] },
    { title = "OpenSearch free storage (MiB)", stat = "Minimum", metrics = [concat(["AWS/ES", "FreeStorageSpace"], local.os)] },
    { title = "OpenSearch JVM memory pressure", stat = "Maximum", metrics = [concat(["AWS/ES", "JVMMemoryPressure"], local.os)] },
    { title = "EFS burst credit balance", stat = "Minimum", metrics = [
      for id in var.efs_file_system_ids : ["AWS/EFS", "BurstCreditBalance", "FileSystemId", id]
    ] },
    { title = "Backup jobs", stat = "Sum", metrics = [
      ["AWS/Backup", "NumberOfBackupJobsFailed", "BackupVaultName", var.backup_vault_name],
      ["NoteGen/Backup", "BackupSucceeded", "Env", var.environment, { stat = "Minimum" }],
      ["NoteGen/Backup", "ValidationSucceeded", "Env", var.environment, { stat = "Minimum" }],
    ] },
    { title = "API ingest count", stat = "Sum", metrics = [["NoteGen/API", "IngestCount", "Service", local.api.Service, "Env", local.api.Env]] },
    { title = "API latencies p95 (ms)", stat = "p95", metrics = [
      ["NoteGen/API", "NoteGenerationLatency", "Service", local.api.Service, "Env", local.api.Env],
      ["NoteGen/API", "SearchLatency", "Service", local.api.Service, "Env", local.api.Env],
    ] },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [for i, w in local.widgets : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = w.title
        region  = local.region
        view    = "timeSeries"
        stat    = w.stat
        period  = 300
        metrics = w.metrics
      }
    }]
  })
}
