variable "name" {
  description = "Name of the service and prefix of its resources, e.g. notegen-staging-api."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "The name must be 3-28 lowercase letters, digits or hyphens (ALB and target group names are limited to 32 characters)."
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

variable "network" {
  description = "The VPC of the service and its CIDR (the ALB may reach the tasks' port inside it)."
  type = object({
    vpc_id   = string
    vpc_cidr = string
  })

  validation {
    condition     = can(cidrhost(var.network.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets of the internet-facing ALB (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "The ALB needs subnets in at least two availability zones."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the tasks (no route to an internet gateway; at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "The tasks need private subnets in at least two availability zones."
  }
}

variable "cluster" {
  description = "The ECS cluster and the Cloud Map namespace the service registers in."
  type = object({
    arn          = string
    name         = string
    namespace_id = string
  })
}

variable "image" {
  description = "Container image: the private ECR repository and an immutable release tag."
  type = object({
    repository_arn = string
    repository_url = string
    tag            = string
  })

  validation {
    condition     = var.image.tag != "latest" && can(regex("^[A-Za-z0-9_.-]{1,128}$", var.image.tag))
    error_message = "The image tag must be a release tag, never latest."
  }
}

variable "container_port" {
  description = "Port the FastAPI server listens on inside the task."
  type        = number
  default     = 8000

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "The container port must be an unprivileged port (1024-65535)."
  }
}

variable "health_check_path" {
  description = "Path the target group probes: the shallow liveness route, so that a data store restarting does not take every task out of the ALB (/readyz checks the stores)."
  type        = string
  default     = "/livez"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "The health check path must start with '/'."
  }
}

variable "container_health_check" {
  description = "The container's own health check (ECS healthCheck): the image's HEALTHCHECK command, GET /livez on PORT."
  type = object({
    command      = list(string)
    interval     = optional(number, 15)
    timeout      = optional(number, 5)
    retries      = optional(number, 3)
    start_period = optional(number, 30)
  })
  default = { command = ["CMD", "python", "-m", "service.healthcheck"] }

  validation {
    condition     = contains(["CMD", "CMD-SHELL"], var.container_health_check.command[0])
    error_message = "A health check command starts with CMD or CMD-SHELL."
  }
}

variable "task_size" {
  description = "Fargate CPU units and memory (MiB) of one task."
  type = object({
    cpu    = optional(number, 512)
    memory = optional(number, 1024)
  })
  default = {}
}

variable "scaling" {
  description = "Service size and application auto scaling on average CPU and memory (on by default; only an emulator lacking Application Auto Scaling tags, as moto does, turns autoscaling off)."
  type = object({
    desired_count       = optional(number, 2)
    min_count           = optional(number, 2)
    max_count           = optional(number, 6)
    cpu_target_percent  = optional(number, 60)
    memory_target_pct   = optional(number, 70)
    scale_in_cooldown_s = optional(number, 300)
    autoscaling         = optional(bool, true)
  })
  default = {}

  validation {
    condition     = var.scaling.min_count >= 1 && var.scaling.min_count <= var.scaling.desired_count && var.scaling.desired_count <= var.scaling.max_count
    error_message = "Scaling must satisfy 1 <= min_count <= desired_count <= max_count."
  }
}

variable "certificate" {
  description = "Public TLS certificate of the ALB (ACM, DNS validation). wait_for_validation blocks the apply until the DNS records exist; it is on by default and only an emulator, where DNS never validates, turns it off."
  type = object({
    domain_name               = string
    subject_alternative_names = optional(list(string), [])
    wait_for_validation       = optional(bool, true)
  })

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.certificate.domain_name))
    error_message = "The certificate domain must be a fully qualified lowercase DNS name."
  }
}

variable "alb" {
  description = "Load balancer options: deletion protection (on by default) and idle timeout."
  type = object({
    deletion_protection = optional(bool, true)
    idle_timeout        = optional(number, 60)
  })
  default = {}
}

variable "access_logs" {
  description = "ALB access logs, on by default, to a bucket created here. ALB log delivery writes only to SSE-S3 buckets, so this one bucket uses SSE-S3; it is private, versioned and TLS-only like every other."
  type = object({
    bucket_name     = string
    enabled         = optional(bool, true)
    expiration_days = optional(number, 365)
    force_destroy   = optional(bool, false)
  })

  validation {
    condition     = var.access_logs.expiration_days >= 365
    error_message = "Access logs are kept at least 365 days."
  }
}

variable "secret_arns" {
  description = "Container environment variables read from Secrets Manager at task start: NAME => { secret_arn, json_key }. Values never pass through Terraform."
  type = map(object({
    secret_arn = string
    json_key   = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for s in values(var.secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:ca-(central|west)-1:[0-9]{12}:secret:", s.secret_arn))])
    error_message = "Secrets must be Secrets Manager ARNs in a Canadian region."
  }
}

variable "parameters" {
  description = "Container environment variables read from SSM Parameter Store at task start: NAME => parameter ARN (service URLs, endpoints, region)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.parameters) : can(regex("^arn:aws[a-z-]*:ssm:ca-(central|west)-1:[0-9]{12}:parameter/", arn))])
    error_message = "Parameters must be SSM parameter ARNs in a Canadian region."
  }
}

variable "environment_variables" {
  description = "Plain, non-secret container environment variables (e.g. LOG_LEVEL); PORT is set from container_port. Anything secret goes in var.secret_arns."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : !can(regex("(?i)(password|secret|token|api_?key|credential|private)", k))])
    error_message = "A variable whose name looks secret must come from var.secrets, not a plain environment value."
  }
}

variable "otel_collector" {
  description = "The OpenTelemetry collector sidecar (`otel-collector`): its image pinned by digest and the EMF namespace of the metrics it receives. It takes OTLP on 127.0.0.1:4317 (the API gets OTEL_EXPORTER_OTLP_ENDPOINT) and sends traces to X-Ray and metrics as EMF to the service's log group. Null: no collector."
  type = object({
    image             = string
    metrics_namespace = optional(string, "NoteGen/OTel")
  })
  default = null

  validation {
    condition     = var.otel_collector == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$", var.otel_collector.image))
    error_message = "The collector image must be pinned by digest: <registry>/<repository>@sha256:<64 hex>."
  }
}

variable "decrypt_kms_key_arns" {
  description = "Customer-managed keys that encrypt the secrets and SecureString parameters (the execution role may decrypt with them)."
  type        = list(string)
  default     = []
}

variable "task_policy_statements" {
  description = "Extra permissions of the application's task role (e.g. OpenSearch HTTP on the domain). Actions must be named: no '*' or 'service:*'."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition     = alltrue(flatten([for s in var.task_policy_statements : [for a in s.actions : a != "*" && !endswith(a, ":*")]]))
    error_message = "Task role actions must be named actions, not '*' or 'service:*'."
  }
  validation {
    condition     = alltrue(flatten([for s in var.task_policy_statements : [for r in s.resources : r != "*"]]))
    error_message = "Task role statements must name their resources."
  }
}

variable "log" {
  description = "CloudWatch log group of the containers: customer-managed key and retention (>= 90 days; >= 365 in prod)."
  type = object({
    kms_key_arn    = string
    retention_days = optional(number, 365)
  })

  validation {
    condition     = contains([90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log.retention_days)
    error_message = "Retention must be a CloudWatch Logs value of at least 90 days."
  }
  validation {
    condition     = var.environment != "prod" || var.log.retention_days >= 365
    error_message = "Prod logs must be kept at least 365 days."
  }
}

variable "deployment_alarms" {
  description = "CloudWatch alarms that roll a deployment back when they fire (ECS alarm-based rollback; the deploy tool watches them too)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
