output "backup_task_role_arn" {
  description = "Task role of the backup job (mounts the Neo4j data volume read-only)."
  value       = module.backup_task.task_role_arn
}

output "backup_task_definition_arn" {
  description = "Task definition of the backup job."
  value       = module.backup_task.task_definition_arn
}

output "validation_task_definition_arn" {
  description = "Task definition of the validation job."
  value       = aws_ecs_task_definition.validation.arn
}

output "schedule_names" {
  description = "Names of the EventBridge Scheduler schedules: backup and validation."
  value       = { for key, schedule in aws_scheduler_schedule.this : key => schedule.name }
}

output "alarm_name" {
  description = "Name of the alarm on ValidationSucceeded."
  value       = aws_cloudwatch_metric_alarm.validation.alarm_name
}
