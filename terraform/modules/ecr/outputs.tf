output "arn" {
  description = "ARN of the repository."
  value       = aws_ecr_repository.this.arn
}

output "repository_url" {
  description = "URL of the repository (without tag)."
  value       = aws_ecr_repository.this.repository_url
}

output "name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}
