# The task definition, its roles and the Cloud Map service moved into the shared ecs_task module.
moved {
  from = aws_ecs_task_definition.this
  to   = module.task.aws_ecs_task_definition.this
}

moved {
  from = aws_iam_role.execution
  to   = module.task.aws_iam_role.execution
}

moved {
  from = aws_iam_role_policy.execution
  to   = module.task.aws_iam_role_policy.execution["start-task"]
}

moved {
  from = aws_iam_role_policy.execution_secrets[0]
  to   = module.task.aws_iam_role_policy.execution["read-secrets"]
}

moved {
  from = aws_iam_role_policy.execution_parameters[0]
  to   = module.task.aws_iam_role_policy.execution["read-parameters"]
}

moved {
  from = aws_iam_role_policy.execution_decrypt[0]
  to   = module.task.aws_iam_role_policy.execution["decrypt-secrets"]
}

moved {
  from = aws_iam_role.task
  to   = module.task.aws_iam_role.task
}

moved {
  from = aws_iam_role_policy.task[0]
  to   = module.task.aws_iam_role_policy.task["application"]
}

moved {
  from = aws_service_discovery_service.this
  to   = module.task.aws_service_discovery_service.this[0]
}
