output "task_definition_arn" {
  description = "ARN (with revision) of the task definition."
  value       = aws_ecs_task_definition.this.arn
}

output "container_name" {
  description = "Name of the task's one essential container."
  value       = var.container.name
}

output "execution_role_arn" {
  description = "ARN of the execution role (pulls the image, writes logs, reads the container's secrets)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role, what the container's code may do."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task role."
  value       = aws_iam_role.task.name
}

output "discovery_arn" {
  description = "ARN of the Cloud Map service (null without discovery)."
  value       = one(aws_service_discovery_service.this[*].arn)
}

output "container_definitions" {
  description = "The container definitions JSON of the task definition."
  value       = aws_ecs_task_definition.this.container_definitions
}

output "volumes" {
  description = "The volumes of the task definition (EFS with transit encryption and access point IAM)."
  value       = aws_ecs_task_definition.this.volume
}

output "role_name_prefixes" {
  description = "Name prefixes of the execution and task roles."
  value       = { execution = aws_iam_role.execution.name_prefix, task = aws_iam_role.task.name_prefix }
}

output "task_policies" {
  description = "Inline policies of the task role: name => JSON document."
  value       = { for name, policy in aws_iam_role_policy.task : name => policy.policy }
}
