mock_provider "aws" {}

variables {
  account_id         = "111122223333"
  alias              = "notegen-test-data"
  description        = "test key"
  service_principals = ["logs.ca-central-1.amazonaws.com"]
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "Key rotation must be on."
  }
  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The default deletion window must be the longest (30 days)."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      !contains(flatten([lookup(s.Principal, "AWS", [])]), "*") && !contains(flatten([s.Action]), "kms:*")
    ])
    error_message = "The key policy must not name a public principal or kms:*."
  }
  assert {
    condition     = jsondecode(aws_kms_key.this.policy).Statement[2].Condition.StringEquals["aws:SourceAccount"] == "111122223333"
    error_message = "Service principals must be limited to this account."
  }
}

run "reject_wildcard_service_principal" {
  command = plan
  variables {
    service_principals = ["*"]
  }
  expect_failures = [var.service_principals]
}

run "reject_short_deletion_window" {
  command = plan
  variables {
    deletion_window_in_days = 3
  }
  expect_failures = [var.deletion_window_in_days]
}

run "reject_aws_alias" {
  command = plan
  variables {
    alias = "aws/s3"
  }
  expect_failures = [var.alias]
}

run "reject_bad_account" {
  command = plan
  variables {
    account_id = "*"
  }
  expect_failures = [var.account_id]
}
