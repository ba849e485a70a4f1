variable "name" {
  description = "Domain name, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "The domain name must be 3-28 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: staging or prod."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "network" {
  description = "VPC placement: private subnets (one per availability zone used) and the only client security group (the API tasks)."
  type = object({
    vpc_id                   = string
    private_subnet_ids       = list(string)
    client_security_group_id = string
  })

  validation {
    condition     = length(var.network.private_subnet_ids) >= 1
    error_message = "At least one private subnet is required."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the domain at rest."
  type        = string
}

variable "access_role_arns" {
  description = "IAM roles allowed to call the domain over HTTPS (the API task role). The access policy names nobody else."
  type        = list(string)

  validation {
    condition     = length(var.access_role_arns) >= 1 && alltrue([for a in var.access_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "Access must be granted to named IAM roles only (no '*', no account root)."
  }
}

variable "master_user_arn" {
  description = "IAM role mapped to the fine-grained access control admin (no internal users, hence no password)."
  type        = string
}

variable "engine_version" {
  description = "OpenSearch engine version."
  type        = string
  default     = "OpenSearch_2.13"

  validation {
    condition     = startswith(var.engine_version, "OpenSearch_2.")
    error_message = "Use an OpenSearch 2.x engine (vector search, current security fixes)."
  }
}

variable "cluster" {
  description = "Data nodes: instance type and count, zone awareness across AZs, EBS size (GiB)."
  type = object({
    instance_type  = optional(string, "r6g.large.search")
    instance_count = optional(number, 2)
    zone_count     = optional(number, 2)
    volume_size    = optional(number, 50)
  })
  default = {}

  validation {
    condition     = contains([1, 2, 3], var.cluster.zone_count) && var.cluster.instance_count >= var.cluster.zone_count && var.cluster.instance_count % var.cluster.zone_count == 0
    error_message = "zone_count must be 1-3 and instance_count a multiple of it."
  }
}

variable "tls_security_policy" {
  description = "Minimum TLS policy of the HTTPS endpoint."
  type        = string
  default     = "Policy-Min-TLS-1-2-PFS-2023-10"

  validation {
    condition     = contains(["Policy-Min-TLS-1-2-PFS-2023-10", "Policy-Min-TLS-1-2-2019-07"], var.tls_security_policy)
    error_message = "Only TLS 1.2+ policies are allowed."
  }
}

variable "log" {
  description = "CloudWatch log groups of the audit, slow and application logs: customer-managed key and retention (>= 90 days; >= 365 in prod)."
  type = object({
    kms_key_arn    = string
    retention_days = optional(number, 365)
  })

  validation {
    condition     = contains([90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log.retention_days)
    error_message = "Retention must be a CloudWatch Logs value of at least 90 days."
  }
  validation {
    condition     = var.environment != "prod" || var.log.retention_days >= 365
    error_message = "Prod logs must be kept at least 365 days."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
