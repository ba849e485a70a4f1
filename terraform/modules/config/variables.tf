variable "path" {
  description = "Parameter Store path of the environment's configuration, e.g. /notegen/staging/."
  type        = string

  validation {
    condition     = can(regex("^/[a-z0-9-]+(/[a-z0-9-]+)*/$", var.path))
    error_message = "The path must start and end with '/' and hold lowercase words."
  }
}

variable "parameters" {
  description = "Non-secret configuration by name (service URLs, endpoints, region). Stored as String: the values are not secret and stay reviewable in the plan; secrets belong in Secrets Manager."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.parameters) : can(regex("^[a-z][a-z0-9_]{1,60}$", k)) && !can(regex("(password|secret|token|api_?key|credential)", k))])
    error_message = "Parameter names are lowercase words; anything secret belongs in Secrets Manager."
  }
}

variable "tags" {
  description = "Tags added to every parameter."
  type        = map(string)
  default     = {}
}
