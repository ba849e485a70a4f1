output "topic_arn" {
  description = "ARN of the alarm topic."
  value       = aws_sns_topic.this.arn
}

output "alarm_names" {
  description = "Names of the alarms."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
