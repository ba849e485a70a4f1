# What an operator or an emulator run may set; the env's own values are in main.tf. Same file in every env.
variable "region" {
  description = "AWS region of the environment (Canadian data residency)."
  type        = string
  default     = "ca-central-1"

  validation {
    condition     = contains(["ca-central-1", "ca-west-1"], var.region)
    error_message = "The region must be ca-central-1 or ca-west-1."
  }
}

variable "neo4j_restore" {
  description = "One-time restore of the Neo4j backup onto its volume (see the neo4j module's restore variable); off by default."
  type = object({
    enabled      = optional(bool, false)
    version_id   = optional(string)
    force        = optional(bool, false)
    command      = optional(string)
    endpoint_url = optional(string)
    wait         = optional(bool, true)
  })
  default = {}
}

variable "certificate_wait_for_validation" {
  description = "Wait for the ACM certificate's DNS validation during apply. On by default; only an emulator, where DNS never validates, turns it off."
  type        = bool
  default     = true
}

variable "emulator_compat" {
  description = "Only for an apply on an emulator that lacks some APIs (see modules/stack). All on by default."
  type = object({
    aws_backup_selection = optional(bool, true)
    efs_backup_policy    = optional(bool, true)
    secret_rotation      = optional(bool, true)
    app_autoscaling      = optional(bool, true)
  })
  default = {}
}

variable "protection" {
  description = "Deletion guards: ALB deletion protection and keeping non-empty buckets. On by default; only a throwaway emulator stack turns them off."
  type = object({
    alb_deletion_protection = optional(bool, true)
    force_destroy_buckets   = optional(bool, false)
  })
  default = {}
}
