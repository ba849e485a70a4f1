output "security_group_id" {
  description = "Security group of the API tasks: the only source allowed into Neo4j and OpenSearch."
  value       = aws_security_group.this.id
}

output "alb_security_group_id" {
  description = "Security group of the ALB."
  value       = aws_security_group.alb.id
}

output "alb_dns_name" {
  description = "DNS name of the ALB (the CNAME target of the public domain)."
  value       = aws_lb.this.dns_name
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB, the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group, the TargetGroup dimension of its CloudWatch metrics."
  value       = aws_lb_target_group.this.arn_suffix
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_role_arn" {
  description = "ARN of the application's task role."
  value       = module.task.task_role_arn
}

output "task_role_name" {
  description = "Name of the application's task role."
  value       = module.task.task_role_name
}

output "execution_role_arn" {
  description = "ARN of the execution role."
  value       = module.task.execution_role_arn
}

output "log_group_name" {
  description = "Log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "certificate_validation_records" {
  description = "DNS records that validate the ACM certificate (to create in the public zone)."
  value = [for o in aws_acm_certificate.this.domain_validation_options : {
    name  = o.resource_record_name
    type  = o.resource_record_type
    value = o.resource_record_value
  }]
}

output "service_arn" {
  description = "ARN of the ECS service (the deploy role may update only this service)."
  value       = aws_ecs_service.this.id
}

output "task_definition_role_arns" {
  description = "ARNs of the two roles a task definition of this service names (execution and task): the only roles the deploy role may pass."
  value       = [module.task.execution_role_arn, module.task.task_role_arn]
}

output "access_logs_bucket" {
  description = "Name of the ALB's access log bucket."
  value       = module.access_logs.id
}
