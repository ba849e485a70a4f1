mock_provider "aws" {}

variables {
  name        = "notegen-test-bucket"
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
}

run "secure_defaults" {
  command = apply

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access blocks must be on."
  }
  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning must be enabled."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Objects must be encrypted with SSE-KMS."
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" && jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Effect == "Deny"
    error_message = "The bucket policy must deny non-TLS requests."
  }
  assert {
    condition     = !aws_s3_bucket.this.force_destroy
    error_message = "force_destroy must be off by default."
  }
  assert {
    condition     = length(aws_s3_bucket_replication_configuration.this) == 0
    error_message = "No replication unless asked."
  }
}

run "replication_to_ca_west_1" {
  command = plan
  variables {
    replication = {
      destination_bucket_arn  = "arn:aws:s3:::notegen-test-replica"
      destination_region      = "ca-west-1"
      destination_kms_key_arn = "arn:aws:kms:ca-west-1:111122223333:key/00000000-0000-0000-0000-000000000002"
    }
  }

  assert {
    condition     = one(one(aws_s3_bucket_replication_configuration.this[0].rule).destination).bucket == "arn:aws:s3:::notegen-test-replica"
    error_message = "Replication must target the replica bucket."
  }
}

run "reject_replication_outside_canada" {
  command = plan
  variables {
    replication = {
      destination_bucket_arn  = "arn:aws:s3:::elsewhere"
      destination_region      = "us-east-1"
      destination_kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000002"
    }
  }
  expect_failures = [var.replication]
}

run "reject_foreign_key" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  }
  expect_failures = [var.kms_key_arn]
}

run "reject_short_expiration" {
  command = plan
  variables {
    expiration_days = 30
  }
  expect_failures = [var.expiration_days]
}

run "log_delivery_bucket_uses_sse_s3" {
  command = plan
  variables {
    kms_key_arn         = null
    log_delivery_sse_s3 = true
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "A log-delivery bucket uses SSE-S3."
  }
}

run "reject_missing_key" {
  command = plan
  variables {
    kms_key_arn = null
  }
  expect_failures = [var.kms_key_arn]
}
