output "arns" {
  description = "ARNs of the secrets by short name (values are never outputs)."
  value       = { for k, s in aws_secretsmanager_secret.this : k => s.arn }
}
