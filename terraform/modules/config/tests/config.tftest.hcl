mock_provider "aws" {}

variables {
  path       = "/notegen/test/"
  parameters = { neo4j_uri = "bolt://neo4j.test.notegen.internal:7687", aws_region = "ca-central-1" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = alltrue([for p in aws_ssm_parameter.this : p.type == "String"])
    error_message = "Parameters hold non-secret configuration only."
  }
  assert {
    condition     = aws_ssm_parameter.this["neo4j_uri"].name == "/notegen/test/neo4j_uri"
    error_message = "Parameters live under the environment's path."
  }
}

run "reject_secret_parameter" {
  command = plan
  variables {
    parameters = { neo4j_password = "x" }
  }
  expect_failures = [var.parameters]
}

run "reject_relative_path" {
  command = plan
  variables {
    path = "notegen/test"
  }
  expect_failures = [var.path]
}
