mock_provider "aws" {
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/aws/vpc/notegen-test/flow-logs" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/notegen-test-flow-logs" }
  }
}

variables {
  name        = "notegen-test"
  environment = "prod"
  cidr_block  = "10.20.0.0/16"
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  subnets = [
    { availability_zone = "ca-central-1a", public_cidr = "10.20.0.0/24", private_cidr = "10.20.10.0/24" },
    { availability_zone = "ca-central-1b", public_cidr = "10.20.1.0/24", private_cidr = "10.20.11.0/24" },
  ]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = alltrue([for s in merge(aws_subnet.public, aws_subnet.private) : !s.map_public_ip_on_launch])
    error_message = "No subnet may hand out public IPs."
  }
  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group must be closed."
  }
  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL"
    error_message = "Flow logs must capture all traffic."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.flow_logs.retention_in_days >= 365
    error_message = "Flow logs must be KMS-encrypted and kept a year."
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 2
    error_message = "One NAT gateway per AZ by default."
  }
}

run "reject_single_az" {
  command = plan
  variables {
    subnets = [{ availability_zone = "ca-central-1a", public_cidr = "10.20.0.0/24", private_cidr = "10.20.10.0/24" }]
  }
  expect_failures = [var.subnets]
}

run "reject_foreign_az" {
  command = plan
  variables {
    subnets = [
      { availability_zone = "us-east-1a", public_cidr = "10.20.0.0/24", private_cidr = "10.20.10.0/24" },
      { availability_zone = "us-east-1b", public_cidr = "10.20.1.0/24", private_cidr = "10.20.11.0/24" },
    ]
  }
  expect_failures = [var.subnets]
}

run "reject_public_cidr" {
  command = plan
  variables {
    cidr_block = "8.8.0.0/16"
  }
  expect_failures = [var.cidr_block]
}

run "reject_bad_cidr" {
  command = plan
  variables {
    cidr_block = "10.20.0.0/33"
  }
  expect_failures = [var.cidr_block]
}

run "reject_short_prod_retention" {
  command = plan
  variables {
    flow_log_retention_days = 90
  }
  expect_failures = [var.flow_log_retention_days]
}
