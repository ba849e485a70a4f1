output "alb_dns_name" {
  description = "DNS name of the API's load balancer (CNAME target of the domain)."
  value       = module.stack.alb_dns_name
}

output "certificate_validation_records" {
  description = "DNS records that validate the API certificate."
  value       = module.stack.certificate_validation_records
}

output "ecr_repository_url" {
  description = "Repository of the API image."
  value       = module.stack.ecr_repository_url
}

output "github_plan_role_arn" {
  description = "Role the pull-request workflow assumes for a read-only plan."
  value       = module.stack.github_plan_role_arn
}

output "github_deploy_role_arn" {
  description = "Role the deploy workflow's jobs in the env's GitHub environment assume to push images and deploy."
  value       = module.stack.github_deploy_role_arn
}

output "deploy" {
  description = "What the deploy tool needs: cluster, service and the alarms that roll a deployment back."
  value       = module.stack.deploy
}

output "neo4j_secret_arn" {
  description = "ARN of the Neo4j admin secret (the value itself is never an output)."
  value       = module.stack.neo4j_secret_arn
}

output "neo4j_bolt_uri" {
  description = "Bolt URI of Neo4j inside the VPC."
  value       = module.stack.neo4j_bolt_uri
}

output "opensearch_endpoint" {
  description = "HTTPS endpoint of OpenSearch inside the VPC."
  value       = module.stack.opensearch_endpoint
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.stack.alarm_topic_arn
}

output "backup_bucket" {
  description = "Bucket holding neo4j-data-volume.tar.gz (replicated to ca-west-1)."
  value       = module.stack.backup_bucket
}

output "dashboard" {
  description = "The CloudWatch dashboard and its widgets."
  value       = module.stack.dashboard
}
