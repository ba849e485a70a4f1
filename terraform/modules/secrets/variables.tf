variable "name_prefix" {
  description = "Path prefix of the secret names, e.g. notegen-staging/ (the rotation function is scoped to it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}/$", var.name_prefix))
    error_message = "The prefix must be lowercase letters, digits or hyphens ending with '/'."
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

variable "definitions" {
  description = "Secrets to create, by short name: description and rotation strategy (external: a vendor issues the key; neo4j: generated and set in Neo4j). Terraform creates the containers only; values are put by operators or the rotation function and never pass through Terraform."
  type = map(object({
    description = string
    strategy    = optional(string, "external")
  }))
  default = {
    azure-openai = { description = "Azure OpenAI endpoint and API key (JSON: endpoint, api_key, api_version)" }
    langfuse     = { description = "Langfuse host and keys (JSON: host, public_key, secret_key)" }
  }

  validation {
    condition     = alltrue([for k, v in var.definitions : can(regex("^[a-z][a-z0-9-]{1,40}$", k)) && contains(["external", "neo4j"], v.strategy)])
    error_message = "Secret names must be lowercase words with hyphens; strategy must be external or neo4j."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the secrets."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored (7-30; 30 in prod)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30
    error_message = "The recovery window must be 7-30 days."
  }
  validation {
    condition     = var.environment != "prod" || var.recovery_window_in_days == 30
    error_message = "Prod secrets keep the full 30-day recovery window."
  }
}

variable "rotation" {
  description = "Scheduled rotation of every secret by the rotation function (enabled by default; only an emulator whose RotateSecret fails on a secret without a value, as moto's does, turns it off)."
  type = object({
    lambda_arn = string
    days       = optional(number, 90)
    enabled    = optional(bool, true)
  })

  validation {
    condition     = var.rotation.days >= 1 && var.rotation.days <= 365
    error_message = "Rotate at least once a year."
  }
}

variable "tags" {
  description = "Tags added to every secret."
  type        = map(string)
  default     = {}
}
