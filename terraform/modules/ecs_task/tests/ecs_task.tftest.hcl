mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "ca-central-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-task" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-test-task:1" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:ca-central-1:111122223333:service/srv-0123456789abcdef" }
  }
}

variables {
  name           = "notegen-test-task"
  task_size      = { cpu = 512, memory = 1024 }
  log_group_name = "/ecs/notegen-test-task"
  container = {
    name  = "app"
    image = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/app:v1.0.0"
    ports = [8000]
  }
  execution_policies = {
    start-task = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

run "minimal_container" {
  command = apply

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].essential && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].cpu == 512 && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].memory == 1024
    error_message = "The one container is essential and gets the whole task."
  }
  assert {
    condition     = keys(jsondecode(aws_ecs_task_definition.this.container_definitions)[0]) == ["cpu", "essential", "image", "logConfiguration", "memory", "name", "portMappings"]
    error_message = "Unset container fields are left out of the definition."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options == { awslogs-group = "/ecs/notegen-test-task", awslogs-region = "ca-central-1", awslogs-stream-prefix = "app" }
    error_message = "Logs go to the given group, one stream prefix per container."
  }
  assert {
    condition     = aws_ecs_task_definition.this.network_mode == "awsvpc" && aws_ecs_task_definition.this.requires_compatibilities == toset(["FARGATE"])
    error_message = "Fargate tasks in awsvpc mode."
  }
  assert {
    condition     = aws_iam_role.execution.name_prefix == "notegen-test-task-exec-" && aws_iam_role.task.name_prefix == "notegen-test-task-task-"
    error_message = "Separate execution and task roles named after the task by default."
  }
  assert {
    condition     = jsondecode(aws_iam_role.task.assume_role_policy).Statement[0].Principal == { Service = "ecs-tasks.amazonaws.com" }
    error_message = "Only ECS tasks may assume the roles."
  }
  assert {
    condition     = length(aws_iam_role_policy.task) == 0 && length(aws_service_discovery_service.this) == 0 && length(aws_ecs_task_definition.this.volume) == 0
    error_message = "No task permissions, discovery or volume unless asked for."
  }
}

run "volume_health_check_and_discovery" {
  command = apply

  variables {
    efs_volume = { name = "data", file_system_id = "fs-0123456789abcdef0", access_point_id = "fsap-0123456789abcdef0" }
    container = {
      name         = "app"
      image        = "public.ecr.aws/docker/library/neo4j:5.15-community"
      mount_points = [{ source_volume = "data", container_path = "/data" }]
      secrets      = [{ name = "NEO4J_AUTH", value_from = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:x-AbCdEf:auth::" }]
      health_check = { command = ["CMD-SHELL", "wget -qO- http://127.0.0.1:7474 || exit 1"] }
    }
    discovery          = { name = "app", namespace_id = "ns-0123456789abcdef" }
    role_name_prefixes = { execution = "notegen-test-rexec-", task = "notegen-test-restore-" }
    task_policies      = { mount-data = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }

  assert {
    condition     = alltrue([for v in aws_ecs_task_definition.this.volume : one(v.efs_volume_configuration).transit_encryption == "ENABLED" && one(one(v.efs_volume_configuration).authorization_config).iam == "ENABLED"])
    error_message = "EFS volumes use TLS in transit and IAM authorization through the access point."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints == [{ sourceVolume = "data", containerPath = "/data", readOnly = false }]
    error_message = "Mount points are rendered in ECS's form."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets[0].valueFrom == "arn:aws:secretsmanager:ca-central-1:111122223333:secret:x-AbCdEf:auth::"
    error_message = "Secrets are passed by reference."
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.interval == 30 && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.startPeriod == 0
    error_message = "The health check gets ECS's defaults."
  }
  assert {
    condition     = length(aws_service_discovery_service.this) == 1 && one(aws_service_discovery_service.this[0].dns_config).routing_policy == "MULTIVALUE"
    error_message = "Discovery registers the tasks when asked for."
  }
  assert {
    condition     = aws_iam_role.execution.name_prefix == "notegen-test-rexec-" && keys(aws_iam_role_policy.task) == ["mount-data"]
    error_message = "Role prefixes and task policies are the caller's."
  }
}

run "reject_latest_image" {
  command = plan

  variables {
    container = { name = "app", image = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/app:latest" }
  }

  expect_failures = [var.container]
}

run "reject_secret_in_plain_environment" {
  command = plan

  variables {
    container = {
      name        = "app"
      image       = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/app:v1.0.0"
      environment = [{ name = "DB_PASSWORD", value = "not-here" }]
    }
  }

  expect_failures = [var.container]
}

run "reject_long_role_prefix" {
  command = plan

  variables {
    role_name_prefixes = { execution = "notegen-a-very-long-environment-name-exec-", task = "t-" }
  }

  expect_failures = [var.role_name_prefixes]
}

run "sidecar_takes_its_share" {
  command = apply

  variables {
    sidecars = [{
      name         = "otel-collector"
      image        = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:90b3180c21acb9497110480371a413ed91f2836077f8a8fb4507b019d3c481c0"
      health_check = { command = ["/healthcheck"] }
    }]
  }
  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.this.container_definitions) : [c.name, c.essential, c.cpu, c.memory]] == [["app", true, 384, 768], ["otel-collector", false, 128, 256]]
    error_message = "The sidecar is not essential and its CPU and memory come out of the main container's share."
  }
}

run "reject_sidecar_without_digest" {
  command = plan

  variables {
    sidecars = [{ name = "otel-collector", image = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3" }]
  }
  expect_failures = [var.sidecars]
}

run "reject_essential_sidecar_without_health_check" {
  command = plan

  variables {
    sidecars = [{
      name      = "otel-collector"
      image     = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:90b3180c21acb9497110480371a413ed91f2836077f8a8fb4507b019d3c481c0"
      essential = true
    }]
  }
  expect_failures = [var.sidecars]
}
