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
    defaults = { arn = "arn:aws:logs:ca-central-1:111122223333:log-group:/aws/opensearch/notegen-test/x" }
  }
}

variables {
  name        = "notegen-test"
  environment = "prod"
  network = {
    vpc_id                   = "vpc-0123456789abcdef0"
    private_subnet_ids       = ["subnet-c", "subnet-d"]
    client_security_group_id = "sg-0123456789abcdef0"
  }
  kms_key_arn      = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  access_role_arns = ["arn:aws:iam::111122223333:role/notegen-test-api-task"]
  master_user_arn  = "arn:aws:iam::111122223333:role/notegen-test-api-task"
  log              = { kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = one(aws_opensearch_domain.this.encrypt_at_rest).enabled && one(aws_opensearch_domain.this.encrypt_at_rest).kms_key_id == var.kms_key_arn
    error_message = "Encryption at rest with the CMK."
  }
  assert {
    condition     = one(aws_opensearch_domain.this.node_to_node_encryption).enabled
    error_message = "Node-to-node encryption."
  }
  assert {
    condition     = one(aws_opensearch_domain.this.domain_endpoint_options).enforce_https && one(aws_opensearch_domain.this.domain_endpoint_options).tls_security_policy == "Policy-Min-TLS-1-2-PFS-2023-10"
    error_message = "HTTPS with TLS 1.2+ PFS."
  }
  assert {
    condition     = one(aws_opensearch_domain.this.advanced_security_options).enabled && !one(aws_opensearch_domain.this.advanced_security_options).internal_user_database_enabled
    error_message = "Fine-grained access control with IAM, no internal users."
  }
  assert {
    condition     = toset([for o in aws_opensearch_domain.this.log_publishing_options : o.log_type]) == toset(["AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS"])
    error_message = "Audit, slow and application logs must be published."
  }
  assert {
    condition     = jsonencode(jsondecode(aws_opensearch_domain.this.access_policies).Statement[0].Principal.AWS) == jsonencode(var.access_role_arns)
    error_message = "The access policy names only the API task role."
  }
  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.this : g.kms_key_id == var.log.kms_key_arn && g.retention_in_days >= 365])
    error_message = "Log groups must be KMS-encrypted and kept a year in prod."
  }
  assert {
    condition     = one(aws_opensearch_domain.this.vpc_options).subnet_ids == toset(var.network.private_subnet_ids)
    error_message = "The domain lives in the private subnets."
  }
}

run "reject_old_tls" {
  command = plan
  variables {
    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
  }
  expect_failures = [var.tls_security_policy]
}

run "reject_public_access" {
  command = plan
  variables {
    access_role_arns = ["*"]
  }
  expect_failures = [var.access_role_arns]
}

run "reject_uneven_cluster" {
  command = plan
  variables {
    cluster = { instance_count = 3, zone_count = 2 }
  }
  expect_failures = [var.cluster]
}
