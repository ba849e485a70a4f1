output "plan_role_arn" {
  description = "ARN of the read-only plan role (for the pull-request workflow)."
  value       = aws_iam_role.plan.arn
}

output "deploy_role_arn" {
  description = "ARN of the deploy role (push to the repository, roll the service to a new revision)."
  value       = aws_iam_role.deploy.arn
}

output "provider_arn" {
  description = "ARN of the GitHub OIDC provider."
  value       = local.provider_arn
}
