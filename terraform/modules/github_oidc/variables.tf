variable "name" {
  description = "Name prefix of the roles, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the roles."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "The repository must be owner/name, without wildcards."
  }
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC provider (one per account; false when it already exists)."
  type        = bool
  default     = true
}

variable "plan_subjects" {
  description = "OIDC subjects (after repo:<owner/name>:) allowed to assume the read-only plan role. Prod names only protected subjects (its GitHub environment or the protected main branch), never pull_request."
  type        = list(string)
  default     = ["pull_request"]

  validation {
    condition     = length(var.plan_subjects) > 0 && alltrue([for s in var.plan_subjects : !strcontains(s, "*")])
    error_message = "Subjects must be exact (no wildcards), e.g. pull_request or environment:staging."
  }
}

variable "deploy" {
  description = "The deploy role: the GitHub environment whose jobs may assume it (its subject environment:<name>), the one ECS service it may update, the deployment alarms it may read, and the execution and task roles of that service's task definition (the only roles it may pass, to ECS tasks only)."
  type = object({
    environment    = string
    service_arn    = string
    alarm_names    = list(string)
    task_role_arns = list(string)
  })

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.deploy.environment)) && length(var.deploy.task_role_arns) == 2
    error_message = "The environment is one exact GitHub environment name; the deploy role passes exactly the two task roles (execution and task)."
  }
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$", var.deploy.service_arn))
    error_message = "service_arn must name one service (arn:aws:ecs:<region>:<account>:service/<cluster>/<service>), no wildcard."
  }
}

variable "ecr_repository_arn" {
  description = "The only repository the deploy role may push to."
  type        = string
}

variable "state" {
  description = "Terraform state the plan role reads: bucket and key."
  type = object({
    bucket = string
    key    = string
  })
}

variable "read_scope" {
  description = "What the plan role may read beyond unscopable Describe/List calls: the bucket name prefix, the SSM parameter path and the secret name prefix of the environment (secret metadata only, never values)."
  type = object({
    bucket_prefix  = string
    parameter_path = string
    secret_prefix  = string
  })

  validation {
    condition     = length(var.read_scope.bucket_prefix) >= 3 && startswith(var.read_scope.parameter_path, "/") && length(var.read_scope.secret_prefix) >= 3
    error_message = "Read scopes must be real prefixes (>= 3 characters; the parameter path starts with /)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
