mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "ca-central-1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/ecs/notegen-test-api" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-api" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = { arn = "arn:aws:acm:ca-central-1:111122223333:certificate/00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_acm_certificate_validation" {
    defaults = { certificate_arn = "arn:aws:acm:ca-central-1:111122223333:certificate/00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::notegen-test-alb-logs", id = "notegen-test-alb-logs" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:ca-central-1:111122223333:loadbalancer/app/notegen-test-api/0123456789abcdef" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:ca-central-1:111122223333:targetgroup/notegen-test-api/0123456789abcdef" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:ca-central-1:111122223333:service/srv-0123456789abcdef" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-test-api:1" }
  }
}

variables {
  name        = "notegen-test-api"
  environment = "prod"
  network = {
    vpc_id   = "vpc-0123456789abcdef0"
    vpc_cidr = "10.20.0.0/16"
  }
  public_subnet_ids  = ["subnet-a", "subnet-b"]
  private_subnet_ids = ["subnet-c", "subnet-d"]
  access_logs        = { bucket_name = "notegen-test-alb-logs" }
  cluster = {
    arn          = "arn:aws:ecs:ca-central-1:111122223333:cluster/notegen-test"
    name         = "notegen-test"
    namespace_id = "ns-0123456789abcdef"
  }
  image = {
    repository_arn = "arn:aws:ecr:ca-central-1:111122223333:repository/notegen-test/api"
    repository_url = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/api"
    tag            = "v1.0.0"
  }
  certificate = { domain_name = "api.test.notegen.example" }
  secret_arns = {
    AZURE_OPENAI_API_KEY = { secret_arn = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:azure-AbCdEf", json_key = "api_key" }
  }
  parameters = {
    NEO4J_URI = "arn:aws:ssm:ca-central-1:111122223333:parameter/notegen/test/neo4j_uri"
  }
  decrypt_kms_key_arns = ["arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"]
  log                  = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001" }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = one(aws_ecs_service.this.network_configuration).assign_public_ip == false
    error_message = "Tasks must not get a public IP."
  }
  assert {
    condition     = one(aws_ecs_service.this.deployment_circuit_breaker).enable && one(aws_ecs_service.this.deployment_circuit_breaker).rollback
    error_message = "The deployment circuit breaker must roll back."
  }
  assert {
    condition     = aws_ecs_service.this.deployment_minimum_healthy_percent == 100 && aws_ecs_service.this.deployment_maximum_percent == 200
    error_message = "Deployments start new tasks before stopping old ones (zero downtime)."
  }
  assert {
    condition     = aws_lb_listener.https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.https.protocol == "HTTPS"
    error_message = "The HTTPS listener must use the TLS 1.3/1.2 policy."
  }
  assert {
    condition     = one(one(aws_lb_listener.http.default_action).redirect).protocol == "HTTPS"
    error_message = "HTTP must only redirect to HTTPS."
  }
  assert {
    condition     = aws_lb.this.drop_invalid_header_fields && aws_lb.this.enable_deletion_protection
    error_message = "The ALB must drop invalid headers and be protected from deletion."
  }
  assert {
    condition     = one(aws_lb.this.access_logs).enabled && one(aws_lb.this.access_logs).bucket == "notegen-test-alb-logs"
    error_message = "ALB access logs are on by default."
  }
  assert {
    condition     = one(aws_lb_target_group.this.health_check).path == "/livez"
    error_message = "The target group must probe the shallow /livez."
  }
  assert {
    condition     = length(aws_acm_certificate_validation.this) == 1
    error_message = "Certificate validation is on by default."
  }
  assert {
    condition     = module.task.role_name_prefixes.task != module.task.role_name_prefixes.execution
    error_message = "Task and execution roles must be separate."
  }
  assert {
    condition     = jsondecode(module.task.container_definitions)[0].secrets[0].valueFrom == "arn:aws:secretsmanager:ca-central-1:111122223333:secret:azure-AbCdEf:api_key::"
    error_message = "Secrets must come from Secrets Manager by reference."
  }
  assert {
    condition     = jsondecode(module.task.container_definitions)[0].environment == [{ name = "PORT", value = "8000" }]
    error_message = "By default the only plain environment value is PORT, the container port."
  }
  assert {
    condition     = jsondecode(module.task.container_definitions)[0].healthCheck.command == ["CMD", "python", "-m", "service.healthcheck"]
    error_message = "The container checks its own health with the image's /livez command."
  }
  assert {
    condition     = alltrue([for i in aws_security_group.this.ingress : try(length(i.cidr_blocks), 0) == 0])
    error_message = "The tasks accept traffic only from the ALB's security group."
  }
}

run "certificate_validation_can_be_skipped_on_an_emulator" {
  command = plan
  variables {
    certificate = { domain_name = "api.test.notegen.example", wait_for_validation = false }
  }
  assert {
    condition     = length(aws_acm_certificate_validation.this) == 0
    error_message = "wait_for_validation = false must skip the validation resource."
  }
}

run "reject_latest_tag" {
  command = plan
  variables {
    image = {
      repository_arn = "arn:aws:ecr:ca-central-1:111122223333:repository/notegen-test/api"
      repository_url = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/api"
      tag            = "latest"
    }
  }
  expect_failures = [var.image]
}

run "reject_secret_as_plain_environment" {
  command = plan
  variables {
    environment_variables = { LANGFUSE_SECRET_KEY = "sk-lf-123" }
  }
  expect_failures = [var.environment_variables]
}

run "reject_wildcard_task_action" {
  command = plan
  variables {
    task_policy_statements = [{ sid = "All", actions = ["es:*"], resources = ["arn:aws:es:ca-central-1:111122223333:domain/x/*"] }]
  }
  expect_failures = [var.task_policy_statements]
}

run "reject_short_prod_retention" {
  command = plan
  variables {
    log = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001", retention_days = 90 }
  }
  expect_failures = [var.log]
}

run "reject_bad_scaling" {
  command = plan
  variables {
    scaling = { min_count = 3, desired_count = 2 }
  }
  expect_failures = [var.scaling]
}

run "otel_collector_sidecar" {
  command = apply

  variables {
    otel_collector = { image = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:90b3180c21acb9497110480371a413ed91f2836077f8a8fb4507b019d3c481c0" }
  }
  assert {
    condition     = jsondecode(module.task.container_definitions)[1].name == "otel-collector" && !jsondecode(module.task.container_definitions)[1].essential
    error_message = "The collector runs next to the API and its loss does not stop the API."
  }
  assert {
    condition     = contains(jsondecode(module.task.container_definitions)[0].environment, { name = "OTEL_EXPORTER_OTLP_ENDPOINT", value = "http://127.0.0.1:4317" })
    error_message = "The API exports OTLP to the collector on loopback."
  }
  assert {
    condition     = yamldecode(jsondecode(module.task.container_definitions)[1].environment[0].value).receivers.otlp.protocols.grpc.endpoint == "127.0.0.1:4317"
    error_message = "The collector listens on loopback only."
  }
  assert {
    condition     = keys(yamldecode(jsondecode(module.task.container_definitions)[1].environment[0].value).exporters) == ["awsemf", "awsxray"]
    error_message = "Traces go to X-Ray, metrics to EMF."
  }
  assert {
    condition     = jsondecode(module.task.task_policies["telemetry"]).Statement[0].Action == ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    error_message = "The task role gets X-Ray's write and sampling actions, nothing more."
  }
}

run "reject_collector_by_tag" {
  command = plan

  variables {
    otel_collector = { image = "public.ecr.aws/aws-observability/aws-otel-collector:latest" }
  }
  expect_failures = [var.otel_collector]
}
