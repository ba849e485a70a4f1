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
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/aws/cloudtrail/notegen-test" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-trail" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::notegen-test-trail", id = "notegen-test-trail" }
  }
}

variables {
  name        = "notegen-test"
  environment = "prod"
  bucket_name = "notegen-test-trail"
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_cloudtrail.this.is_multi_region_trail && aws_cloudtrail.this.enable_log_file_validation
    error_message = "Multi-region trail with log file validation."
  }
  assert {
    condition     = aws_cloudtrail.this.kms_key_id == var.kms_key_arn
    error_message = "Log files encrypted with the CMK."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.this.retention_in_days >= 365
    error_message = "The CloudWatch copy is encrypted and kept a year in prod."
  }
}

run "reject_short_prod_retention" {
  command = plan
  variables {
    log_retention_days = 90
  }
  expect_failures = [var.log_retention_days]
}
