variable "name" {
  description = "Name of the rotation function, e.g. notegen-staging-secret-rotation."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,60}$", var.name))
    error_message = "The name must be 3-61 lowercase letters, digits or hyphens, starting with a letter."
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

variable "secret_arn_prefix" {
  description = "ARN prefix of the secrets this function may rotate, e.g. arn:aws:secretsmanager:ca-central-1:111122223333:secret:notegen-staging/ (it may touch nothing else)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:ca-(central|west)-1:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+/$", var.secret_arn_prefix))
    error_message = "The prefix must be a Secrets Manager ARN in Canada ending with a path '/' (no wildcard)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key of the secrets (and of the function's environment)."
  type        = string
}

variable "network" {
  description = "Private subnets and security groups of the function (it reaches Neo4j's HTTP port and AWS APIs through NAT)."
  type = object({
    vpc_id             = string
    private_subnet_ids = list(string)
    security_group_ids = list(string)
  })
}

variable "neo4j_https_url" {
  description = "Neo4j's HTTPS API inside the VPC for the neo4j strategy, and the secret whose ca_certificate verifies it."
  type = object({
    url           = string
    ca_secret_arn = string
  })
  default = null

  validation {
    condition     = var.neo4j_https_url == null || startswith(try(var.neo4j_https_url.url, ""), "https://")
    error_message = "The rotation function reaches Neo4j over TLS only: the URL must be https://."
  }
}

variable "log" {
  description = "CloudWatch log group of the function: customer-managed key and retention (>= 90 days; >= 365 in prod)."
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
