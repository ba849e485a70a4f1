output "arn" {
  description = "ARN of the trail."
  value       = aws_cloudtrail.this.arn
}

output "bucket_arn" {
  description = "ARN of the trail's bucket."
  value       = module.bucket.arn
}

output "log_group_name" {
  description = "Log group receiving the trail."
  value       = aws_cloudwatch_log_group.this.name
}

output "bucket_name" {
  description = "Name of the trail's bucket."
  value       = module.bucket.id
}
