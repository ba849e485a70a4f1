mock_provider "aws" {}

variables {
  name_prefix = "notegen-test/"
  environment = "prod"
  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  rotation    = { lambda_arn = "arn:aws:lambda:ca-central-1:111122223333:function:notegen-test-rotation" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = toset(keys(aws_secretsmanager_secret.this)) == toset(["azure-openai", "langfuse"])
    error_message = "Azure OpenAI and Langfuse secrets exist by default."
  }
  assert {
    condition     = alltrue([for s in aws_secretsmanager_secret.this : s.kms_key_id == var.kms_key_arn && s.recovery_window_in_days == 30])
    error_message = "Secrets use the CMK and a 30-day recovery window."
  }
  assert {
    condition     = alltrue([for r in aws_secretsmanager_secret_rotation.this : one(r.rotation_rules).automatically_after_days == 90])
    error_message = "Every secret rotates every 90 days."
  }
}

run "reject_short_prod_recovery_window" {
  command = plan
  variables {
    recovery_window_in_days = 7
  }
  expect_failures = [var.recovery_window_in_days]
}

run "reject_unknown_strategy" {
  command = plan
  variables {
    definitions = { x = { description = "x", strategy = "none" } }
  }
  expect_failures = [var.definitions]
}

run "reject_rare_rotation" {
  command = plan
  variables {
    rotation = { lambda_arn = "arn:aws:lambda:ca-central-1:111122223333:function:x", days = 400 }
  }
  expect_failures = [var.rotation]
}
