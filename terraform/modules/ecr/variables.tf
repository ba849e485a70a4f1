variable "name" {
  description = "Repository name, e.g. notegen-staging/api."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name))
    error_message = "The repository name must be lowercase letters, digits and separators (., _, -, /)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the images."
  type        = string
}

variable "ci_role_arn" {
  description = "ARN of the CI role, the only principal allowed to push images (pull is left to IAM policies in this account)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.ci_role_arn))
    error_message = "The CI principal must be an IAM role ARN (no '*', no account root)."
  }
}

variable "keep_tagged_images" {
  description = "How many release images (tags starting with v or sha-) to keep."
  type        = number
  default     = 50

  validation {
    condition     = var.keep_tagged_images >= 5
    error_message = "Keep at least five release images so a rollback stays possible."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images are deleted."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "Untagged images must live at least one day."
  }
}

variable "tags" {
  description = "Tags added to the repository."
  type        = map(string)
  default     = {}
}
