mock_provider "aws" {}

variables {
  name        = "notegen-test/api"
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  ci_role_arn = "arn:aws:iam::111122223333:role/notegen-ci"
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE"
    error_message = "Tags must be immutable."
  }
  assert {
    condition     = one(aws_ecr_repository.this.image_scanning_configuration).scan_on_push
    error_message = "Images must be scanned on push."
  }
  assert {
    condition     = one(aws_ecr_repository.this.encryption_configuration).encryption_type == "KMS" && one(aws_ecr_repository.this.encryption_configuration).kms_key == var.kms_key_arn
    error_message = "Images must be encrypted with the customer-managed key."
  }
  assert {
    condition     = jsondecode(aws_ecr_repository_policy.this.policy).Statement[0].Principal.AWS == var.ci_role_arn
    error_message = "Only the CI role may push."
  }
}

run "reject_wildcard_ci_principal" {
  command = plan
  variables {
    ci_role_arn = "*"
  }
  expect_failures = [var.ci_role_arn]
}

run "reject_uppercase_name" {
  command = plan
  variables {
    name = "NoteGen"
  }
  expect_failures = [var.name]
}
