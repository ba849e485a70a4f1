output "plan_role_arn" {
  description = "ARN of the read-only plan role (for the pull-request workflow)."
  value       = aws_iam_role.plan.arn
}

output "push_role_arn" {
  description = "ARN of the CI role that pushes images."
  value       = aws_iam_role.push.arn
}

output "provider_arn" {
  description = "ARN of the GitHub OIDC provider."
  value       = local.provider_arn
}
