mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "ca-central-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-neo4j-backup" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-test-neo4j-backup:1" }
  }
}

variables {
  name        = "notegen-test-neo4j-backup"
  environment = "prod"
  cluster     = { arn = "arn:aws:ecs:ca-central-1:111122223333:cluster/notegen-test", name = "notegen-test" }
  network = {
    vpc_id                   = "vpc-0123456789abcdef0"
    private_subnet_ids       = ["subnet-c", "subnet-d"]
    backup_security_group_id = "sg-0a0a0a0a0a0a0a0a0"
  }
  neo4j = {
    service_name     = "notegen-test-neo4j"
    file_system_id   = "fs-0123456789abcdef0"
    file_system_arn  = "arn:aws:elasticfilesystem:ca-central-1:111122223333:file-system/fs-0123456789abcdef0"
    access_point_id  = "fsap-0123456789abcdef0"
    access_point_arn = "arn:aws:elasticfilesystem:ca-central-1:111122223333:access-point/fsap-0123456789abcdef0"
  }
  backup = {
    bucket_name = "notegen-test-backups"
    kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  }
  tls = {
    secret_arn  = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-test/neo4j-tls-AbCdEf"
    kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  }
  images = { validate = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/api:v0.1.0" }
  alarm = {
    topic_arn   = "arn:aws:sns:ca-central-1:111122223333:notegen-test-alarms"
    runbook_url = "https://github.com/notegen/notegen-ai-apis/blob/main/docs/runbooks/disaster-recovery.md#backup-validation"
  }
  log = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001" }
}

run "schedules_run_fargate_tasks_privately" {
  command = apply

  assert {
    condition     = alltrue([for s in aws_scheduler_schedule.this : s.target[0].ecs_parameters[0].launch_type == "FARGATE" && s.target[0].ecs_parameters[0].network_configuration[0].assign_public_ip == false && toset(s.target[0].ecs_parameters[0].network_configuration[0].subnets) == toset(["subnet-c", "subnet-d"])])
    error_message = "Both schedules must start Fargate tasks in the private subnets without a public IP."
  }
  assert {
    condition     = aws_scheduler_schedule.this["backup"].target[0].ecs_parameters[0].task_definition_arn == module.backup_task.task_definition_arn && aws_scheduler_schedule.this["validation"].target[0].ecs_parameters[0].task_definition_arn == aws_ecs_task_definition.validation.arn
    error_message = "Each schedule must start its own task definition."
  }
  assert {
    condition     = aws_scheduler_schedule.this["backup"].target[0].arn == var.cluster.arn && aws_scheduler_schedule.this["backup"].state == "ENABLED"
    error_message = "The schedules target the cluster and are enabled by default."
  }
}

run "scheduler_roles_run_one_task_definition_and_pass_its_two_roles" {
  command = apply

  assert {
    condition = alltrue([for key, p in aws_iam_role_policy.scheduler : (
      jsondecode(p.policy).Statement[0].Action == ["ecs:RunTask"] &&
      jsondecode(p.policy).Statement[0].Resource == [local.jobs[key].task_definition] &&
      jsondecode(p.policy).Statement[1].Action == ["iam:PassRole"] &&
      length(jsondecode(p.policy).Statement[1].Resource) == 2 &&
      jsondecode(p.policy).Statement[1].Condition.StringEquals["iam:PassedToService"] == "ecs-tasks.amazonaws.com" &&
      length(jsondecode(p.policy).Statement) == 2
    )])
    error_message = "A scheduler role may only RunTask its task definition and PassRole its two roles to ECS tasks."
  }
}

run "task_roles_write_and_read_only_the_archive" {
  command = apply

  assert {
    condition     = jsondecode(module.backup_task.task_policies["backup"]).Statement[0].Resource == ["arn:aws:s3:::notegen-test-backups/neo4j-data-volume.tar.gz", "arn:aws:s3:::notegen-test-backups/neo4j-data-volume/dated/*"] && jsondecode(module.backup_task.task_policies["backup"]).Statement[0].Action == ["s3:PutObject"]
    error_message = "The backup task may put only the archive and its dated copies."
  }
  assert {
    condition     = alltrue([for s in [jsondecode(module.backup_task.task_policies["backup"]).Statement[4], jsondecode(aws_iam_role_policy.validation_task.policy).Statement[2]] : s.Action == ["cloudwatch:PutMetricData"] && s.Condition.StringEquals["cloudwatch:namespace"] == "NoteGen/Backup"])
    error_message = "Both tasks may put metrics only in the NoteGen/Backup namespace."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.validation_task.policy).Statement[0].Action == ["s3:GetObject"] && jsondecode(aws_iam_role_policy.validation_task.policy).Statement[0].Resource == ["arn:aws:s3:::notegen-test-backups/neo4j-data-volume.tar.gz"]
    error_message = "The validation task may only read the archive."
  }
  assert {
    condition     = jsondecode(module.backup_task.container_definitions)[0].mountPoints[0].readOnly == true
    error_message = "The backup task mounts the data volume read-only."
  }
}

run "validation_restores_onto_scratch_never_efs" {
  command = apply

  assert {
    condition     = length([for v in aws_ecs_task_definition.validation.volume : v if length(v.efs_volume_configuration) > 0]) == 0 && aws_ecs_task_definition.validation.ephemeral_storage[0].size_in_gib == 50
    error_message = "The validation task has no EFS volume: it restores onto its own ephemeral storage."
  }
  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.validation.container_definitions) : c.name if c.essential] == ["validate"]
    error_message = "The validate container decides the task's outcome."
  }
}

run "alarm_on_failed_or_missing_validation" {
  command = apply

  assert {
    condition     = aws_cloudwatch_metric_alarm.validation.metric_name == "ValidationSucceeded" && aws_cloudwatch_metric_alarm.validation.namespace == "NoteGen/Backup" && aws_cloudwatch_metric_alarm.validation.dimensions["Env"] == "prod"
    error_message = "The alarm watches ValidationSucceeded of this env."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.validation.comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.validation.threshold == 1 && aws_cloudwatch_metric_alarm.validation.treat_missing_data == "breaching"
    error_message = "The alarm fires below 1 and when no validation reported."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.validation.alarm_actions == toset([var.alarm.topic_arn]) && strcontains(aws_cloudwatch_metric_alarm.validation.alarm_description, var.alarm.runbook_url)
    error_message = "The alarm notifies the alarm topic and links the runbook."
  }
}

run "reject_a_latest_image" {
  command = plan
  variables {
    images = { validate = "111122223333.dkr.ecr.ca-central-1.amazonaws.com/notegen-test/api:latest" }
  }
  expect_failures = [var.images]
}

run "reject_an_alarm_topic_outside_canada" {
  command = plan
  variables {
    alarm = { topic_arn = "arn:aws:sns:us-east-1:111122223333:alarms", runbook_url = "https://example.org/runbook" }
  }
  expect_failures = [var.alarm]
}

run "reject_short_prod_log_retention" {
  command = plan
  variables {
    log = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001", retention_days = 90 }
  }
  expect_failures = [var.log]
}
