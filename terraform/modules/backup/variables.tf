variable "name" {
  description = "Name of the vault and plan, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
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

variable "kms_key_arn" {
  description = "Customer-managed key of the recovery points."
  type        = string
}

variable "resource_arns" {
  description = "ARNs of the resources to back up (the Neo4j EFS file system)."
  type        = list(string)

  validation {
    condition     = length(var.resource_arns) >= 1
    error_message = "Select at least one resource."
  }
}

variable "schedule" {
  description = "Daily backup: cron expression (UTC) and days to keep each recovery point (>= 35; >= 365 in prod)."
  type = object({
    cron            = optional(string, "cron(0 7 * * ? *)")
    retention_days  = optional(number, 365)
    cold_after_days = optional(number)
  })
  default = {}

  validation {
    condition     = startswith(var.schedule.cron, "cron(") && var.schedule.retention_days >= 35
    error_message = "Use a cron() expression and keep recovery points at least 35 days."
  }
  validation {
    condition     = var.environment != "prod" || var.schedule.retention_days >= 365
    error_message = "Prod recovery points are kept at least 365 days."
  }
}

variable "copy" {
  description = "Customer-managed key (in ca-west-1, the aws.copy provider's region) of the vault that receives a copy of every recovery point."
  type = object({
    kms_key_arn = string
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:ca-west-1:", var.copy.kms_key_arn))
    error_message = "Backup copies stay in Canada: the copy vault's key is in ca-west-1."
  }
}

variable "create_selection" {
  description = "Select the resources into the plan (on by default). Only an emulator lacking CreateBackupSelection (moto) turns it off."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
