variable "environment" {
  description = "Environment name: staging or prod."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "region" {
  description = "AWS region of the environment (Canadian data residency)."
  type        = string
  default     = "ca-central-1"

  validation {
    condition     = contains(["ca-central-1", "ca-west-1"], var.region)
    error_message = "The region must be ca-central-1 or ca-west-1."
  }
}

variable "account_id" {
  description = "The environment's AWS account: named in key policies and ARNs so that they are reviewable before apply."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "The account id must be 12 digits."
  }
}

variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "notegen"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,15}$", var.project))
    error_message = "The project name must be 3-16 lowercase letters or digits."
  }
}

variable "network" {
  description = "VPC CIDR, one entry per availability zone (public and private subnet CIDRs), and NAT layout."
  type = object({
    cidr_block = string
    subnets = list(object({
      availability_zone = string
      public_cidr       = string
      private_cidr      = string
    }))
    single_nat_gateway = optional(bool, false)
  })
}

variable "domain_name" {
  description = "Public DNS name of the API (the ACM certificate's domain)."
  type        = string
}

variable "certificate_wait_for_validation" {
  description = "Wait for the ACM certificate's DNS validation during apply. On by default; only an emulator, where DNS never validates, turns it off."
  type        = bool
  default     = true
}

variable "api" {
  description = "The API service: image tag, task size, scaling, and the Azure OpenAI resource it calls (endpoint, API version, chat and embedding deployments; the key is a secret)."
  type = object({
    image_tag = string
    cpu       = optional(number, 512)
    memory    = optional(number, 1024)
    scaling = optional(object({
      desired_count = optional(number, 2)
      min_count     = optional(number, 2)
      max_count     = optional(number, 6)
    }), {})
    azure_openai = object({
      endpoint             = string
      api_version          = optional(string, "2024-10-21")
      chat_deployment      = optional(string, "gpt-4o")
      embedding_deployment = optional(string, "text-embedding-3-small")
    })
  })

  validation {
    condition     = can(regex("^https://[a-z0-9-]+\\.openai\\.azure\\.com/?$", var.api.azure_openai.endpoint))
    error_message = "The Azure OpenAI endpoint must be https://<resource>.openai.azure.com."
  }
}

variable "opensearch" {
  description = "OpenSearch data nodes: instance type and count, zone count, volume size (GiB)."
  type = object({
    instance_type  = string
    instance_count = number
    zone_count     = number
    volume_size    = number
  })
}

variable "neo4j" {
  description = "Neo4j task size and memory settings, admin password version (bump to store a new generated password) and the one-time restore from the backup bucket (see the neo4j module's restore variable)."
  type = object({
    cpu              = optional(number, 2048)
    memory           = optional(number, 8192)
    heap             = optional(string, "3G")
    page_cache       = optional(string, "3G")
    password_version = optional(number, 1)
    restore = optional(object({
      enabled      = optional(bool, false)
      version_id   = optional(string)
      force        = optional(bool, false)
      command      = optional(string)
      endpoint_url = optional(string)
      wait         = optional(bool, true)
    }), {})
  })
  default = {}
}

variable "neo4j_admin_password" {
  description = "Initial Neo4j admin password, ephemeral: the env root generates it (ephemeral aws_secretsmanager_random_password) and it reaches only the write-only secret, never plan or state."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group (>= 90 days; >= 365 in prod)."
  type        = number

  validation {
    condition     = var.log_retention_days >= 90
    error_message = "Logs are kept at least 90 days."
  }
  validation {
    condition     = var.environment != "prod" || var.log_retention_days >= 365
    error_message = "Prod logs are kept at least 365 days."
  }
}

variable "secret_recovery_window_days" {
  description = "Recovery window of deleted secrets (7-30; 30 in prod)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30
    error_message = "The recovery window is 7-30 days."
  }
  validation {
    condition     = var.environment != "prod" || var.secret_recovery_window_days == 30
    error_message = "Prod secrets keep the full 30-day recovery window."
  }
}

variable "secret_rotation_days" {
  description = "Days between scheduled rotations of every secret."
  type        = number
  default     = 90
}

variable "backup_retention_days" {
  description = "Days AWS Backup keeps each daily recovery point of the Neo4j file system (>= 365 in prod)."
  type        = number
  default     = 365
}

variable "github" {
  description = "GitHub repository (owner/name) whose workflows may plan (pull requests) and push images (main), and whether to create the account's OIDC provider."
  type = object({
    repository      = string
    create_provider = optional(bool, true)
  })
}

variable "state_bucket" {
  description = "Bucket of the Terraform state (as in backend.hcl), which the read-only plan role may read."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (at least one in prod: an alarm nobody receives protects nothing)."
  type        = list(string)
  default     = []

  validation {
    condition     = var.environment != "prod" || length(var.alarm_emails) > 0
    error_message = "Prod alarms need at least one subscriber: set alarm_emails."
  }
}

variable "otel_collector_image" {
  description = "The AWS Distro for OpenTelemetry collector image of the API's `otel-collector` sidecar, pinned by digest (public ECR; a pull needs no IAM). Re-check the digest with `crane digest` when upgrading."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector@sha256:90b3180c21acb9497110480371a413ed91f2836077f8a8fb4507b019d3c481c0"
}

variable "alarm_https_endpoints" {
  description = "HTTPS endpoints subscribed to the alarm topics: the Slack relay (at least one in prod). Never a Slack webhook URL."
  type        = list(string)
  default     = []

  validation {
    condition     = var.environment != "prod" || length(var.alarm_https_endpoints) > 0
    error_message = "Prod alarms need the Slack relay: set alarm_https_endpoints."
  }
}

variable "emulator_compat" {
  description = "Only for an apply on an emulator that lacks some APIs (moto: CreateBackupSelection, EFS PutBackupPolicy, RotateSecret on a secret without a value, tags of Application Auto Scaling targets). All on by default; no env's tfvars sets them."
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
