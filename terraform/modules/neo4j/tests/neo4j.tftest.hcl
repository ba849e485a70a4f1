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
  mock_data "aws_s3_object" {
    defaults = { version_id = "v-current", etag = "etag-current" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/ecs/notegen-test-neo4j" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-neo4j" }
  }
  mock_resource "aws_efs_file_system" {
    defaults = { arn = "arn:aws:elasticfilesystem:ca-central-1:111122223333:file-system/fs-0123456789abcdef0", id = "fs-0123456789abcdef0" }
  }
  mock_resource "aws_efs_access_point" {
    defaults = { arn = "arn:aws:elasticfilesystem:ca-central-1:111122223333:access-point/fsap-0123456789abcdef0", id = "fsap-0123456789abcdef0" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-test-neo4j/admin-AbCdEf" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:ca-central-1:111122223333:service/srv-0123456789abcdef" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ca-central-1:111122223333:task-definition/notegen-test-neo4j:1" }
  }
}

variables {
  name        = "notegen-test-neo4j"
  environment = "prod"
  network = {
    vpc_id                   = "vpc-0123456789abcdef0"
    vpc_cidr                 = "10.20.0.0/16"
    private_subnet_ids       = ["subnet-c", "subnet-d"]
    client_security_group_id = "sg-0a0a0a0a0a0a0a0a0"
  }
  cluster = {
    arn            = "arn:aws:ecs:ca-central-1:111122223333:cluster/notegen-test"
    name           = "notegen-test"
    namespace_id   = "ns-0123456789abcdef"
    namespace_name = "test.notegen.internal"
  }
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  log         = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001" }
  backup = {
    bucket_name        = "notegen-test-backups"
    bucket_kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  }
  # The env generates it (ephemeral resource); mock providers cannot open ephemeral resources.
  admin_password    = "test-only-not-a-secret"
  admin_secret_name = "notegen-test/neo4j-admin"
  tls               = { secret_arn = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-test/neo4j-tls-AbCdEf" }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = output.bolt_uri == "bolt+s://neo4j.test.notegen.internal:7687"
    error_message = "Clients are given an encrypted Bolt URI."
  }
  assert {
    condition = alltrue([for setting in [
      { name = "NEO4J_server_bolt_tls__level", value = "REQUIRED" },
      { name = "NEO4J_dbms_ssl_policy_bolt_enabled", value = "true" },
    ] : contains(jsondecode(module.task.container_definitions)[0].environment, setting)])
    error_message = "Bolt must require TLS."
  }
  assert {
    condition     = startswith(jsondecode(module.task.container_definitions)[0].healthCheck.command[0], "CMD")
    error_message = "Neo4j's container checks its own health."
  }

  assert {
    condition     = aws_efs_file_system.this.encrypted && aws_efs_file_system.this.kms_key_id == var.kms_key_arn
    error_message = "EFS must be encrypted with the CMK."
  }
  assert {
    condition     = one(aws_efs_backup_policy.this[0].backup_policy).status == "ENABLED"
    error_message = "EFS backups must be on."
  }
  assert {
    condition     = length(aws_efs_mount_target.this) == length(var.network.private_subnet_ids)
    error_message = "One mount target per private subnet."
  }
  assert {
    condition     = alltrue([for v in module.task.volumes : one(v.efs_volume_configuration).transit_encryption == "ENABLED"])
    error_message = "EFS volumes must be encrypted in transit."
  }
  assert {
    condition     = alltrue([for i in aws_security_group.this.ingress : i.security_groups == toset([var.network.client_security_group_id]) && try(length(i.cidr_blocks), 0) == 0])
    error_message = "Neo4j accepts traffic only from the API tasks' security group."
  }
  assert {
    condition     = toset([for i in aws_security_group.this.ingress : i.from_port]) == toset([7473, 7687])
    error_message = "Only ports 7473 (HTTPS) and 7687 (Bolt, TLS) are open."
  }
  assert {
    condition     = one(aws_ecs_service.this.network_configuration).assign_public_ip == false
    error_message = "No public IP."
  }
  assert {
    condition     = aws_secretsmanager_secret.this.kms_key_id == var.kms_key_arn && aws_secretsmanager_secret.this.recovery_window_in_days == 30
    error_message = "The admin secret uses the CMK and a 30-day recovery window."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.this.secret_string == null || aws_secretsmanager_secret_version.this.secret_string == ""
    error_message = "The password must be written write-only (secret_string_wo), never as secret_string."
  }
  assert {
    condition     = jsondecode(module.task.container_definitions)[0].secrets[0].name == "NEO4J_AUTH" && !contains([for e in jsondecode(module.task.container_definitions)[0].environment : e.name], "NEO4J_AUTH")
    error_message = "NEO4J_AUTH comes from Secrets Manager, never a plain value."
  }
  assert {
    condition     = strcontains(module.task.container_definitions, "graph-data-science") && strcontains(module.task.container_definitions, "apoc")
    error_message = "APOC and GDS are enabled."
  }
  assert {
    condition     = jsondecode(module.restore.task_policies["restore-backup"]).Statement[0].Resource == ["arn:aws:s3:::notegen-test-backups/neo4j-data-volume.tar.gz"]
    error_message = "The restore task reads only the backup object."
  }
  assert {
    condition     = jsondecode(module.restore.task_policies["restore-backup"]).Statement[2].Condition.StringEquals["elasticfilesystem:AccessPointArn"] == aws_efs_access_point.this.arn
    error_message = "The restore task writes only this file system, through its access point."
  }
  assert {
    condition     = length(terraform_data.restore) == 0
    error_message = "The restore runs only when enabled."
  }
}

run "restore_reruns_on_a_new_version" {
  command = plan
  variables {
    restore = { enabled = true, version_id = "v2", command = "true" }
  }
  assert {
    condition     = terraform_data.restore[0].triggers_replace.version == "v2"
    error_message = "The pinned version drives the restore."
  }
}

run "restore_follows_the_current_object" {
  command = plan
  variables {
    restore = { enabled = true, command = "true" }
  }
  assert {
    condition     = terraform_data.restore[0].triggers_replace.version == "v-current" && terraform_data.restore[0].triggers_replace.etag == "etag-current"
    error_message = "Without a pinned version, the object's current version and ETag drive the restore."
  }
}

run "forced_restore_of_a_pinned_version" {
  command = plan
  variables {
    restore = { enabled = true, version_id = "v3", force = true, command = "true" }
  }
  assert {
    condition     = terraform_data.restore[0].triggers_replace.version == "v3"
    error_message = "A forced restore runs for its pinned version."
  }
}

run "reject_forced_restore_of_an_unpinned_version" {
  command = plan
  variables {
    restore = { enabled = true, force = true, command = "true" }
  }
  expect_failures = [var.restore]
}

run "reject_short_prod_recovery_window" {
  command = plan
  variables {
    recovery_window_in_days = 7
  }
  expect_failures = [var.recovery_window_in_days]
}

run "reject_rotation_without_lambda" {
  command = plan
  variables {
    rotation = { enabled = true }
  }
  expect_failures = [var.rotation]
}

run "reject_unpinned_foreign_image" {
  command = plan
  variables {
    image = "neo4j:latest"
  }
  expect_failures = [var.image]
}

run "reject_absolute_object_key" {
  command = plan
  variables {
    backup = {
      bucket_name        = "notegen-test-backups"
      bucket_kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
      object_key         = "/neo4j.tar.gz"
    }
  }
  expect_failures = [var.backup]
}

run "reject_short_password" {
  command = plan
  variables {
    admin_password = "short"
  }
  expect_failures = [var.admin_password]
}
