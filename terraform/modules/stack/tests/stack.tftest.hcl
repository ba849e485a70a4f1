# The stack's own invariants (each module has its tests). Plans only: the children are tested in their folders.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "ca-central-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

mock_provider "aws" {
  alias = "replica"
}

variables {
  environment = "prod"
  account_id  = "111122223333"
  network = {
    cidr_block = "10.20.0.0/16"
    subnets = [
      { availability_zone = "ca-central-1a", public_cidr = "10.20.0.0/24", private_cidr = "10.20.10.0/24" },
      { availability_zone = "ca-central-1b", public_cidr = "10.20.1.0/24", private_cidr = "10.20.11.0/24" },
    ]
  }
  domain_name           = "api.test.notegen.example"
  api                   = { image_tag = "v1.0.0", azure_openai = { endpoint = "https://notegen-test.openai.azure.com" } }
  opensearch            = { instance_type = "r6g.large.search", instance_count = 2, zone_count = 2, volume_size = 20 }
  log_retention_days    = 365
  github                = { repository = "notegen/notegen-ai-apis" }
  state_bucket          = "notegen-terraform-state"
  alarm_emails          = ["oncall@test.notegen.example"]
  alarm_https_endpoints = ["https://alerts.test.notegen.example/sns/slack"]
  # The env generates it (ephemeral resource); mock providers cannot open ephemeral resources.
  neo4j_admin_password = "test-only-not-a-secret"
}

run "names_and_wiring" {
  command = plan

  assert {
    condition     = module.api.service_name == "notegen-prod-api" && module.neo4j.service_name == "notegen-prod-neo4j"
    error_message = "Services are named <project>-<environment>-<service>."
  }
  assert {
    condition     = output.neo4j_bolt_uri == "bolt+s://neo4j.prod.notegen.internal:7687"
    error_message = "The API reaches Neo4j through the env's Cloud Map namespace."
  }
  assert {
    condition     = module.config.arns != null && length(module.config.arns) == 3
    error_message = "The API's configuration parameters are created."
  }
}

run "reject_region_outside_canada" {
  command = plan

  variables {
    region = "us-east-1"
  }

  expect_failures = [var.region]
}

run "reject_short_prod_log_retention" {
  command = plan

  variables {
    log_retention_days = 90
  }

  expect_failures = [var.log_retention_days]
}

run "reject_prod_alarms_without_subscriber" {
  command = plan

  variables {
    alarm_emails = []
  }

  expect_failures = [var.alarm_emails]
}

run "reject_short_prod_secret_recovery" {
  command = plan

  variables {
    secret_recovery_window_days = 7
  }

  expect_failures = [var.secret_recovery_window_days]
}

run "reject_prod_alarms_without_slack_relay" {
  command = plan

  variables {
    alarm_https_endpoints = []
  }
  expect_failures = [var.alarm_https_endpoints]
}
