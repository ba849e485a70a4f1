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
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/aws/lambda/notegen-test-rotation" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-rotation" }
  }
}

variables {
  name              = "notegen-test-rotation"
  environment       = "prod"
  secret_arn_prefix = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-test/"
  kms_key_arn       = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  network = {
    vpc_id             = "vpc-0123456789abcdef0"
    private_subnet_ids = ["subnet-c", "subnet-d"]
    security_group_ids = ["sg-0a0a0a0a0a0a0a0a0"]
  }
  log = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001" }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.kms_key_arn == var.kms_key_arn
    error_message = "The function's environment is encrypted with the CMK."
  }
  assert {
    condition     = aws_lambda_permission.secrets_manager.principal == "secretsmanager.amazonaws.com" && aws_lambda_permission.secrets_manager.source_account == "111122223333"
    error_message = "Only Secrets Manager in this account may invoke the function."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == ["arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-test/*"]
    error_message = "The function may touch only this environment's secrets."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource != "*" || length(s.Action) == 1 && contains(["secretsmanager:GetRandomPassword", "ec2:DescribeNetworkInterfaces"], s.Action[0])])
    error_message = "Resource '*' only for actions that cannot be scoped."
  }
}

run "reject_wildcard_prefix" {
  command = plan
  variables {
    secret_arn_prefix = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:*"
  }
  expect_failures = [var.secret_arn_prefix]
}

run "reject_foreign_region" {
  command = plan
  variables {
    secret_arn_prefix = "arn:aws:secretsmanager:us-east-1:111122223333:secret:notegen-test/"
  }
  expect_failures = [var.secret_arn_prefix]
}
