output "arns" {
  description = "ARNs of the parameters by name."
  value       = { for k, p in aws_ssm_parameter.this : k => p.arn }
}
