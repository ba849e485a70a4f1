variable "alias" {
  description = "Alias of the key without the alias/ prefix, e.g. notegen-staging-data."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,200}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "The alias must be 1-200 characters of letters, digits, '/', '_' or '-' and must not start with aws/."
  }
}

variable "account_id" {
  description = "The AWS account that owns and administers the key (named in the key policy, so the policy is reviewable before apply)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account id must be 12 digits."
  }
}

variable "description" {
  description = "What the key protects; shown in the KMS console and in the evidence."
  type        = string
}

variable "service_principals" {
  description = "AWS service principals (e.g. logs.ca-central-1.amazonaws.com) allowed to use the key on behalf of this account. Callers that use KMS through their own IAM role (EFS, Secrets Manager, S3, ...) need no entry here."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p))])
    error_message = "Every service principal must be a service host name ending in .amazonaws.com (no '*', no accounts)."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled deletion takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "The deletion window must be between 7 and 30 days."
  }
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}
