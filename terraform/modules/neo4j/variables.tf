variable "name" {
  description = "Name prefix of the Neo4j resources, e.g. notegen-staging-neo4j."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
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
  description = "Private subnets (one EFS mount target in each), the VPC CIDR, and the only client security group (the API tasks)."
  type = object({
    vpc_id                   = string
    vpc_cidr                 = string
    private_subnet_ids       = list(string)
    client_security_group_id = string
  })

  validation {
    condition     = length(var.network.private_subnet_ids) >= 2 && can(cidrhost(var.network.vpc_cidr, 0))
    error_message = "At least two private subnets and a valid VPC CIDR are required."
  }
}

variable "cluster" {
  description = "The ECS cluster and the Cloud Map namespace Neo4j registers in."
  type = object({
    arn            = string
    name           = string
    namespace_id   = string
    namespace_name = string
  })
}

variable "image" {
  description = "Neo4j image (community edition 5.15 from the ECR Public mirror of Docker Hub's library)."
  type        = string
  default     = "public.ecr.aws/docker/library/neo4j:5.15-community"

  validation {
    condition     = can(regex("^public\\.ecr\\.aws/docker/library/neo4j:5\\.[0-9]+", var.image)) || can(regex("^[0-9]{12}\\.dkr\\.ecr\\.ca-(central|west)-1\\.amazonaws\\.com/", var.image))
    error_message = "Use Neo4j 5.x from ECR Public's library or a private ECR mirror in Canada, with a pinned tag."
  }
}

variable "tls" {
  description = "Bolt's TLS: a Secrets Manager secret (JSON: private_key, certificate, ca_certificate in PEM) whose certificate names neo4j.<namespace>. Values are put by operators and never pass through Terraform; clients trust ca_certificate."
  type = object({
    secret_arn = string
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:ca-(central|west)-1:[0-9]{12}:secret:", var.tls.secret_arn))
    error_message = "The TLS secret must be a Secrets Manager ARN in a Canadian region."
  }
}

variable "plugins" {
  description = "Neo4j plugins the image installs at start (NEO4J_PLUGINS)."
  type        = list(string)
  default     = ["apoc", "graph-data-science"]
}

variable "task_size" {
  description = "Fargate CPU units, memory (MiB) and Neo4j heap/page cache sizes."
  type = object({
    cpu        = optional(number, 2048)
    memory     = optional(number, 8192)
    heap       = optional(string, "3G")
    page_cache = optional(string, "3G")
  })
  default = {}
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the EFS file system and the admin password secret."
  type        = string
}

variable "log" {
  description = "CloudWatch log group of Neo4j and of the restore task: customer-managed key and retention (>= 90 days; >= 365 in prod)."
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

variable "admin_secret_name" {
  description = "Name of the admin credentials secret, under the env's secret path where the rotation function may act."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,256}$", var.admin_secret_name))
    error_message = "The secret name must be a valid Secrets Manager name."
  }
}

variable "admin_password_version" {
  description = "Version of the write-only admin password: bump it to store a newly generated password."
  type        = number
  default     = 1
}

variable "recovery_window_in_days" {
  description = "Days a deleted admin secret can be restored (7-30; 30 in prod)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30
    error_message = "The secret's recovery window must be 7-30 days."
  }
  validation {
    condition     = var.environment != "prod" || var.recovery_window_in_days == 30
    error_message = "Prod secrets keep the full 30-day recovery window."
  }
}

variable "rotation" {
  description = "Scheduled rotation of the admin password by the rotation function (neo4j strategy: it sets the new password in Neo4j)."
  type = object({
    enabled    = optional(bool, false)
    lambda_arn = optional(string)
    days       = optional(number, 90)
  })
  default = {}

  validation {
    condition     = !var.rotation.enabled || var.rotation.lambda_arn != null
    error_message = "Rotation needs lambda_arn."
  }
  validation {
    condition     = var.rotation.days >= 1 && var.rotation.days <= 365
    error_message = "Rotate at least once a year."
  }
}

variable "admin_password" {
  description = "The initial admin password, ephemeral: the env generates it with Secrets Manager (ephemeral aws_secretsmanager_random_password) during plan/apply, and it reaches only the write-only secret_string_wo, so it is never in plan or state."
  type        = string
  ephemeral   = true
  sensitive   = true

  validation {
    condition     = length(var.admin_password) >= 16
    error_message = "The admin password must have at least 16 characters."
  }
}

variable "backup" {
  description = "The backup that seeds /data: s3://bucket/object_key, encrypted with bucket_kms_key_arn. The restore task may read only that object and write only this file system."
  type = object({
    bucket_name        = string
    bucket_kms_key_arn = string
    object_key         = optional(string, "neo4j-data-volume.tar.gz")
  })

  validation {
    condition     = !startswith(var.backup.object_key, "/") && length(var.backup.object_key) > 0
    error_message = "The object key must be relative (no leading '/')."
  }
}

variable "restore" {
  description = <<-EOT
    One-time restore of the backup onto EFS before Neo4j starts, run by terraform_data with local-exec.
    enabled: run it (needs a machine with the AWS CLI and ECS/EFS access). version_id: pin the backup
    version to restore (null: the object's current version, read at plan time). It reruns only when
    bucket, key or version (or ETag) change. The task fills an empty volume only: on a volume that holds
    data it refuses (exit 3, the apply fails) unless force is true, which stops Neo4j, replaces the data
    and starts it again; force needs a pinned version_id, so a new upload never replaces live data by
    itself (to restore the same version again: force plus `terraform apply -replace` of the restore).
    A corrupt or unreadable archive leaves the volume as it was. command/endpoint_url: how to start the
    task (the default script calls `aws ecs run-task`; an emulator sets endpoint_url). wait: wait for the
    task to stop and check its exit code.
  EOT
  type = object({
    enabled      = optional(bool, false)
    version_id   = optional(string)
    force        = optional(bool, false)
    command      = optional(string)
    endpoint_url = optional(string)
    wait         = optional(bool, true)
    image        = optional(string, "public.ecr.aws/aws-cli/aws-cli:2.17.0")
  })
  default = {}

  validation {
    condition     = var.restore.endpoint_url == null || can(regex("^https?://", var.restore.endpoint_url))
    error_message = "endpoint_url must be an http(s) URL."
  }
  validation {
    condition     = !var.restore.force || var.restore.version_id != null
    error_message = "A forced restore replaces live data: pin the backup with version_id."
  }
}

variable "efs_backup_policy" {
  description = "Turn on EFS automatic backups (on by default). Only an emulator lacking PutBackupPolicy (moto) turns it off."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "data_readers" {
  description = "Task role ARNs that may mount /data read-only through the access point (the scheduled backup task)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.data_readers : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "Data readers are IAM role ARNs."
  }
}
