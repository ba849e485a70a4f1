# Neo4j's and the restore task's definitions, roles and Cloud Map service moved into the shared ecs_task module.
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
  from = aws_iam_role.task
  to   = module.task.aws_iam_role.task
}

moved {
  from = aws_iam_role_policy.task
  to   = module.task.aws_iam_role_policy.task["mount-data"]
}

moved {
  from = aws_service_discovery_service.this
  to   = module.task.aws_service_discovery_service.this[0]
}

moved {
  from = aws_ecs_task_definition.restore
  to   = module.restore.aws_ecs_task_definition.this
}

moved {
  from = aws_iam_role.restore_execution
  to   = module.restore.aws_iam_role.execution
}

moved {
  from = aws_iam_role_policy.restore_execution
  to   = module.restore.aws_iam_role_policy.execution["write-logs"]
}

moved {
  from = aws_iam_role.restore
  to   = module.restore.aws_iam_role.task
}

moved {
  from = aws_iam_role_policy.restore
  to   = module.restore.aws_iam_role_policy.task["restore-backup"]
}
