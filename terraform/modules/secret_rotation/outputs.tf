output "arn" {
  description = "ARN of the rotation function."
  value       = aws_lambda_function.this.arn
}

output "function_name" {
  description = "Name of the rotation function (for the error alarm)."
  value       = aws_lambda_function.this.function_name
}
