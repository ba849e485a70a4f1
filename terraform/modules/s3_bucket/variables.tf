variable "name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3-63 lowercase letters, digits, dots or hyphens."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object (SSE-KMS). Null only for a log-delivery bucket (see log_delivery_sse_s3)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? var.log_delivery_sse_s3 : can(regex("^arn:aws[a-z-]*:kms:ca-(central|west)-1:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "A KMS key in ca-central-1 or ca-west-1 is required (only a log-delivery bucket may go without)."
  }
}

variable "log_delivery_sse_s3" {
  description = "This bucket receives logs from a service that can write only to SSE-S3 buckets (ALB access logs): encrypt with SSE-S3 (AES256) instead of the CMK. Off by default."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Allow Terraform to delete a non-empty bucket. Off by default: a bucket holding PHI is never deleted by a plan."
  type        = bool
  default     = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions expire."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_version_expiration_days >= 30
    error_message = "Non-current versions must be kept at least 30 days."
  }
}

variable "transition_to_ia_days" {
  description = "Days after which current objects move to STANDARD_IA (null: never)."
  type        = number
  default     = 30
  nullable    = true
}

variable "expiration_days" {
  description = "Days after which current objects expire (null: never). Audit logs and backups usually keep this null or >= 365."
  type        = number
  default     = null
  nullable    = true

  validation {
    condition     = var.expiration_days == null || try(var.expiration_days >= 365, false)
    error_message = "Objects may expire no earlier than 365 days."
  }
}

variable "policy_statements" {
  description = "Extra bucket policy statements (IAM JSON objects) merged after the TLS-only deny, e.g. CloudTrail's write access."
  type = list(object({
    Sid       = string
    Effect    = string
    Principal = map(list(string))
    Action    = list(string)
    Resource  = list(string)
    Condition = optional(map(map(list(string))))
  }))
  default = []
}

variable "replication" {
  description = "Cross-region replication of every object to a bucket in ca-west-1 (null: none). The destination bucket must already be versioned and encrypted with destination_kms_key_arn."
  type = object({
    destination_bucket_arn  = string
    destination_region      = string
    destination_kms_key_arn = string
  })
  default = null

  validation {
    condition     = var.replication == null || try(var.replication.destination_region == "ca-west-1", false) && var.kms_key_arn != null
    error_message = "Replication is allowed only to ca-west-1 (data residency in Canada)."
  }
  validation {
    condition     = var.replication == null || can(regex("^arn:aws[a-z-]*:kms:ca-west-1:", var.replication.destination_kms_key_arn))
    error_message = "The replica must be encrypted with a KMS key in ca-west-1."
  }
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}
