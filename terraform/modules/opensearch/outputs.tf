output "arn" {
  description = "ARN of the domain."
  value       = aws_opensearch_domain.this.arn
}

output "endpoint" {
  description = "HTTPS endpoint of the domain (inside the VPC)."
  value       = aws_opensearch_domain.this.endpoint
}

output "security_group_id" {
  description = "Security group of the domain."
  value       = aws_security_group.this.id
}

output "http_actions" {
  description = "The HTTP actions the access policy grants, for the clients' IAM policies."
  value       = ["es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPatch", "es:ESHttpPost", "es:ESHttpPut"]
}

output "domain_arn_pattern" {
  description = "ARN of the domain computed from its name (known before apply), for IAM policies."
  value       = local.domain_arn
}

output "domain_name" {
  description = "Name of the domain (the DomainName dimension of its CloudWatch metrics)."
  value       = aws_opensearch_domain.this.domain_name
}
