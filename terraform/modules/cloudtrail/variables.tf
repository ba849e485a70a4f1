variable "name" {
  description = "Name of the trail, e.g. notegen-staging."
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

variable "bucket_name" {
  description = "Name of the trail's own S3 bucket (created here with the same controls as every bucket)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key of the log files, the bucket and the log group (its policy must allow cloudtrail.amazonaws.com and logs.<region>.amazonaws.com)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch copy of the trail (>= 90 days; >= 365 in prod). The S3 copy is kept per the bucket lifecycle."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "Retention must be a CloudWatch Logs value of at least 90 days."
  }
  validation {
    condition     = var.environment != "prod" || var.log_retention_days >= 365
    error_message = "Prod logs must be kept at least 365 days."
  }
}

variable "force_destroy_bucket" {
  description = "Allow deleting the bucket with its logs (only for throwaway emulator stacks)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
