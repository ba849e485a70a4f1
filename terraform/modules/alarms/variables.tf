variable "name" {
  description = "Name prefix of the topic and alarms, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key of the SNS topic (its policy must let cloudwatch.amazonaws.com use it)."
  type        = string
}

variable "email_endpoints" {
  description = "Addresses subscribed to the alarm topic (each confirms by email)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.email_endpoints : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", e))])
    error_message = "Every endpoint must be an email address."
  }
}

variable "load_balancer" {
  description = "CloudWatch dimensions of the API's ALB and target group."
  type = object({
    arn_suffix              = string
    target_group_arn_suffix = string
  })
}

variable "ecs" {
  description = "The ECS cluster and the services whose CPU and memory are watched."
  type = object({
    cluster_name  = string
    service_names = list(string)
  })
}

variable "rotation_function_name" {
  description = "The secret rotation function whose errors are alarmed (a failed rotation means a key is due)."
  type        = string
  default     = null
}

variable "thresholds" {
  description = "Alarm thresholds: 5xx responses per 5 minutes, p95 latency (s), CPU and memory (%)."
  type = object({
    http_5xx_count    = optional(number, 10)
    latency_p95_s     = optional(number, 2)
    cpu_percent       = optional(number, 80)
    memory_percent    = optional(number, 80)
    evaluation_period = optional(number, 300)
  })
  default = {}

  validation {
    condition     = var.thresholds.cpu_percent > 0 && var.thresholds.cpu_percent <= 100 && var.thresholds.memory_percent > 0 && var.thresholds.memory_percent <= 100
    error_message = "CPU and memory thresholds are percentages (1-100)."
  }
  validation {
    condition     = contains([60, 300, 900, 3600], var.thresholds.evaluation_period)
    error_message = "The evaluation period must be 60, 300, 900 or 3600 seconds."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
