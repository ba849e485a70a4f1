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

variable "environment" {
  description = "Environment name (staging or prod): prod refuses a topic without email and HTTPS subscribers."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "email_endpoints" {
  description = "Addresses subscribed to the alarm topic (each confirms by email). At least one in prod."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.email_endpoints : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", e))])
    error_message = "Every endpoint must be an email address."
  }
  validation {
    condition     = var.environment != "prod" || length(var.email_endpoints) > 0
    error_message = "Prod alarms need at least one email subscriber."
  }
}

variable "https_endpoints" {
  description = "HTTPS endpoints subscribed to the alarm topic: the Slack relay (it confirms the SNS subscription and posts to the channel). At least one in prod. Never a Slack webhook URL: its path is a secret and it cannot confirm a subscription."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.https_endpoints : can(regex("^https://[a-z0-9.-]+(:[0-9]+)?(/[^?#@\\s]*)?$", u)) && !can(regex("^https://hooks\\.slack\\.com/", u))])
    error_message = "Every endpoint must be an https:// URL without userinfo or query, and not a Slack webhook."
  }
  validation {
    condition     = var.environment != "prod" || length(var.https_endpoints) > 0
    error_message = "Prod alarms need an HTTPS subscriber (the Slack relay)."
  }
}

variable "runbook_base_url" {
  description = "Where docs/runbooks is browsable; every alarm description links a section there."
  type        = string
  default     = "https://github.com/notegen/notegen-ai-apis/blob/main/docs/runbooks"

  validation {
    condition     = startswith(var.runbook_base_url, "https://") && endswith(trimsuffix(var.runbook_base_url, "/"), "docs/runbooks")
    error_message = "The runbook base URL is an https:// URL ending in docs/runbooks."
  }
}

variable "load_balancer" {
  description = "CloudWatch dimensions of the API's ALB and target group (null: no API alarms)."
  type = object({
    arn_suffix              = string
    target_group_arn_suffix = string
  })
  default = null
}

variable "ecs" {
  description = "The ECS cluster and its services by role (api, neo4j): CPU and memory of each are watched, and the running task count of `neo4j` when given. Null: no ECS alarms."
  type = object({
    cluster_name = string
    services     = map(string)
  })
  default = null
}

variable "custom_metrics" {
  description = "Alarm on the service's embedded metrics (NoteGen/API, dimensions Service = api and Env)."
  type        = bool
  default     = false
}

variable "data_stores" {
  description = "PHI data stores watched: the OpenSearch domain (name, free storage floor in MiB), EFS file systems (burst credits) and data buckets (emptied)."
  type = object({
    opensearch = optional(object({
      domain_name     = string
      free_storage_mb = number
    }))
    efs_file_system_ids = optional(list(string), [])
    bucket_names        = optional(list(string), [])
  })
  default = {}
}

variable "backup" {
  description = "AWS Backup vault whose failed jobs, and the daily archive job (NoteGen/Backup BackupSucceeded), are alarmed; null: none."
  type = object({
    vault_name = string
  })
  default = null
}

variable "rotation" {
  description = "The secret rotation function whose errors are alarmed (a failed rotation means a key is due); null: none. An object, so that whether it is given is known before its name is."
  type = object({
    function_name = string
  })
  default = null
}

variable "thresholds" {
  description = "Alarm thresholds: 5xx responses per period, p95 latencies (s, ms), CPU, memory and JVM pressure (%), EFS burst credits (bytes)."
  type = object({
    http_5xx_count         = optional(number, 10)
    latency_p95_s          = optional(number, 2)
    cpu_percent            = optional(number, 80)
    memory_percent         = optional(number, 80)
    note_latency_p95_ms    = optional(number, 30000)
    search_latency_p95_ms  = optional(number, 2000)
    jvm_pressure_percent   = optional(number, 85)
    efs_burst_credit_bytes = optional(number, 192000000000)
    evaluation_period      = optional(number, 300)
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
