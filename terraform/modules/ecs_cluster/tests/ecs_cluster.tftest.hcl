mock_provider "aws" {}

variables {
  name      = "notegen-test"
  vpc_id    = "vpc-0123456789abcdef0"
  namespace = "test.notegen.internal"
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = one(aws_ecs_cluster.this.setting).value == "enabled"
    error_message = "Container Insights must be on."
  }
  assert {
    condition     = aws_ecs_cluster_capacity_providers.this.capacity_providers == toset(["FARGATE"])
    error_message = "The cluster runs on Fargate only."
  }
}

run "reject_public_namespace" {
  command = plan
  variables {
    namespace = "notegen.com"
  }
  expect_failures = [var.namespace]
}
