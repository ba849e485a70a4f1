variable "name" {
  description = "Dashboard name, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: the Env dimension of the service's and the backup jobs' metrics."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "load_balancer_arn_suffix" {
  description = "CloudWatch dimension of the API's ALB."
  type        = string
}

variable "ecs" {
  description = "The ECS cluster and the API and Neo4j services."
  type = object({
    cluster_name       = string
    api_service_name   = string
    neo4j_service_name = string
  })
}

variable "opensearch_domain_name" {
  description = "The OpenSearch domain."
  type        = string
}

variable "efs_file_system_ids" {
  description = "EFS file systems whose burst credits are shown (Neo4j's data)."
  type        = list(string)
}

variable "backup_vault_name" {
  description = "AWS Backup vault whose failed jobs are shown next to the archive and validation jobs' metrics."
  type        = string
}
