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
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
  }
}

variables {
  name               = "notegen-test"
  repository         = "notegen/notegen-ai-apis"
  ecr_repository_arn = "arn:aws:ecr:ca-central-1:111122223333:repository/notegen-test/api"
  state              = { bucket = "notegen-terraform-state", key = "test/terraform.tfstate" }
  read_scope = {
    bucket_prefix  = "notegen-test-"
    parameter_path = "/notegen/test/"
    secret_prefix  = "notegen-test/"
  }
  deploy = {
    environment    = "prod"
    service_arn    = "arn:aws:ecs:ca-central-1:111122223333:service/notegen-test/notegen-test-api"
    alarm_names    = ["notegen-test-api-target-5xx"]
    task_role_arns = ["arn:aws:iam::111122223333:role/notegen-test-api-exec-1", "arn:aws:iam::111122223333:role/notegen-test-api-task-1"]
  }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:notegen/notegen-ai-apis:pull_request"]
    error_message = "The plan role trusts only this repository's pull requests."
  }
  assert {
    condition     = jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "The audience must be STS."
  }
  assert {
    condition = alltrue(flatten([for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : [
      for a in s.Action : a != "*" && !endswith(a, ":*") && !can(regex(":(Put|Create|Delete|Update|Attach|Detach|Tag|Untag)", a))
    ]]))
    error_message = "The plan role is read-only and names its actions."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Resource != "*" || s.Sid == "ReadsThatCannotBeScoped" || s.Effect == "Deny"])
    error_message = "Resource '*' only for reads that cannot be scoped."
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Action if s.Effect == "Allow"]), "secretsmanager:GetSecretValue") && contains(flatten([for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Action if s.Effect == "Deny"]), "secretsmanager:GetSecretValue")
    error_message = "The plan role never reads secret values (and says so with a Deny)."
  }
  assert {
    condition     = contains(flatten([for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Action if s.Effect == "Allow"]), "secretsmanager:GetRandomPassword")
    error_message = "The plan role may generate the ephemeral password the plan opens."
  }
  assert {
    condition     = jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:notegen/notegen-ai-apis:environment:prod"]
    error_message = "The deploy role trusts only jobs of the env's GitHub environment."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.deploy.policy).Statement : s if s.Sid == "PassTheTwoTaskRolesToEcsOnly"]).Condition.StringEquals["iam:PassedToService"] == "ecs-tasks.amazonaws.com" && length(one([for s in jsondecode(aws_iam_role_policy.deploy.policy).Statement : s if s.Sid == "PassTheTwoTaskRolesToEcsOnly"]).Resource) == 2
    error_message = "The deploy role passes exactly the two task roles, to ECS tasks only."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.deploy.policy).Statement : s if s.Sid == "UpdateOneService"]).Resource == ["arn:aws:ecs:ca-central-1:111122223333:service/notegen-test/notegen-test-api"]
    error_message = "The deploy role updates only its one service."
  }
}

run "reject_wildcard_service" {
  command = plan
  variables {
    deploy = {
      environment    = "prod"
      service_arn    = "arn:aws:ecs:ca-central-1:111122223333:service/notegen-test/*"
      alarm_names    = []
      task_role_arns = ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"]
    }
  }
  expect_failures = [var.deploy]
}

run "reject_wildcard_subject" {
  command = plan
  variables {
    plan_subjects = ["*"]
  }
  expect_failures = [var.plan_subjects]
}

run "reject_wildcard_repository" {
  command = plan
  variables {
    repository = "notegen/*"
  }
  expect_failures = [var.repository]
}
