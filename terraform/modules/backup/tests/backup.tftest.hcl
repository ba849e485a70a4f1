mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-backup" }
  }
}

mock_provider "aws" {
  alias = "copy"
  mock_resource "aws_backup_vault" {
    defaults = { arn = "arn:aws:backup:ca-west-1:111122223333:backup-vault:notegen-test-copy" }
  }
}

variables {
  name          = "notegen-test"
  environment   = "prod"
  kms_key_arn   = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  resource_arns = ["arn:aws:elasticfilesystem:ca-central-1:111122223333:file-system/fs-0123456789abcdef0"]
  copy          = { kms_key_arn = "arn:aws:kms:ca-west-1:111122223333:key/00000000-0000-0000-0000-000000000002" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_backup_vault.this.kms_key_arn == var.kms_key_arn
    error_message = "The vault is encrypted with the CMK."
  }
  assert {
    condition     = one(one(aws_backup_plan.this.rule).lifecycle).delete_after >= 365
    error_message = "Prod recovery points are kept a year."
  }
  assert {
    condition     = aws_backup_selection.this[0].resources == toset(var.resource_arns)
    error_message = "The file system is selected."
  }
  assert {
    condition     = length(one(aws_backup_plan.this.rule).copy_action) == 1 && startswith(aws_backup_vault.copy.kms_key_arn, "arn:aws:kms:ca-west-1:")
    error_message = "Every recovery point is copied to the ca-west-1 vault."
  }
}

run "reject_copy_outside_canada" {
  command = plan
  variables {
    copy = { kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000002" }
  }
  expect_failures = [var.copy]
}

run "reject_short_prod_retention" {
  command = plan
  variables {
    schedule = { retention_days = 35 }
  }
  expect_failures = [var.schedule]
}

run "reject_empty_selection" {
  command = plan
  variables {
    resource_arns = []
  }
  expect_failures = [var.resource_arns]
}
