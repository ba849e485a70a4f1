variable "name" {
  description = "Name of the cluster and prefix of the service-discovery namespace."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the private DNS namespace used for Cloud Map service discovery."
  type        = string
}

variable "namespace" {
  description = "Private DNS namespace for service discovery, e.g. staging.notegen.internal."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+internal$", var.namespace))
    error_message = "The namespace must be a private DNS name ending in .internal."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
