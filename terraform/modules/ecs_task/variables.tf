variable "name" {
  description = "Task definition family and prefix of the roles, e.g. notegen-staging-api."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "task_size" {
  description = "Fargate CPU units and memory (MiB) of the task, all of it given to its one container."
  type = object({
    cpu    = number
    memory = number
  })
}

variable "container" {
  description = "The task's one essential container. Unset fields are left out of the definition; secrets come from Secrets Manager or SSM at task start (value_from: an ARN, optionally with a JSON key)."
  type = object({
    name                     = string
    image                    = string
    ports                    = optional(list(number))
    readonly_root_filesystem = optional(bool)
    entry_point              = optional(list(string))
    command                  = optional(list(string))
    mount_points = optional(list(object({
      source_volume  = string
      container_path = string
      read_only      = optional(bool, false)
    })))
    environment = optional(list(object({ name = string, value = string })))
    secrets     = optional(list(object({ name = string, value_from = string })))
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 0)
    }))
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.container.name)) && !endswith(var.container.image, ":latest")
    error_message = "The container needs a lowercase name and an image with a pinned tag or digest, never latest."
  }
  validation {
    condition     = alltrue([for e in coalesce(var.container.environment, []) : !can(regex("(?i)(password|secret|token|api_?key|credential|private)", e.name))])
    error_message = "A variable whose name looks secret must come from secrets, not a plain environment value."
  }
}

variable "sidecars" {
  description = "Containers next to the main one (e.g. the OpenTelemetry collector), each pinned by digest; their cpu and memory are taken from the main container's share. An essential sidecar needs a health_check."
  type = list(object({
    name                     = string
    image                    = string
    essential                = optional(bool, false)
    cpu                      = optional(number, 128)
    memory                   = optional(number, 256)
    readonly_root_filesystem = optional(bool, true)
    command                  = optional(list(string))
    environment              = optional(list(object({ name = string, value = string })), [])
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 0)
    }))
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.sidecars : can(regex("^[a-z][a-z0-9-]{0,62}$", s.name)) && can(regex("@sha256:[0-9a-f]{64}$", s.image))])
    error_message = "Every sidecar needs a lowercase name and an image pinned by digest (@sha256:...)."
  }
  validation {
    condition     = alltrue([for s in var.sidecars : !s.essential || s.health_check != null])
    error_message = "An essential sidecar needs a health_check (ECS replaces the task when it hangs)."
  }
  validation {
    condition     = alltrue([for s in var.sidecars : alltrue([for e in s.environment : !can(regex("(?i)(password|secret|token|api_?key|credential|private)", e.name))])])
    error_message = "A sidecar variable whose name looks secret must not be a plain environment value."
  }
}

variable "efs_volume" {
  description = "An EFS volume the container may mount, always through its access point with IAM authorization and TLS in transit."
  type = object({
    name            = string
    file_system_id  = string
    access_point_id = string
  })
  default = null
}

variable "log_group_name" {
  description = "CloudWatch log group of the container (awslogs driver, stream prefix = container name)."
  type        = string
}

variable "execution_policies" {
  description = "Inline policies of the execution role: policy name => JSON document (image pull, logs, the container's secrets)."
  type        = map(string)
}

variable "task_policies" {
  description = "Inline policies of the task role: policy name => JSON document. Empty: the code may call nothing in AWS."
  type        = map(string)
  default     = {}
}

variable "role_name_prefixes" {
  description = "Name prefixes of the execution and task roles (default <name>-exec- and <name>-task-)."
  type = object({
    execution = string
    task      = string
  })
  default = null

  validation {
    condition     = var.role_name_prefixes == null || (length(try(var.role_name_prefixes.execution, "")) <= 38 && length(try(var.role_name_prefixes.task, "")) <= 38)
    error_message = "IAM role name prefixes are at most 38 characters."
  }
}

variable "discovery" {
  description = "Register the tasks in Cloud Map as <name>.<namespace> (A records, MULTIVALUE); null: no discovery."
  type = object({
    name         = string
    namespace_id = string
  })
  default = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
