variable "name" {
  description = "Name prefix of the backup and validation jobs, e.g. notegen-staging-neo4j-backup."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "The name must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (staging or prod): the Env dimension of the NoteGen/Backup metrics."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "cluster" {
  description = "The ECS cluster both jobs run in."
  type = object({
    arn  = string
    name = string
  })
}

variable "network" {
  description = "Private subnets of the jobs (never a public IP), the VPC, and the security group of the backup task (Neo4j's: the only one the EFS mount targets admit)."
  type = object({
    vpc_id                   = string
    private_subnet_ids       = list(string)
    backup_security_group_id = string
  })

  validation {
    condition     = length(var.network.private_subnet_ids) >= 1
    error_message = "At least one private subnet is required."
  }
}

variable "neo4j" {
  description = "The Neo4j service the backup stops while it copies /data, and its EFS file system and access point (mounted read-only)."
  type = object({
    service_name     = string
    file_system_id   = string
    file_system_arn  = string
    access_point_id  = string
    access_point_arn = string
  })
}

variable "backup" {
  description = "The archive: s3://bucket_name/object_key (what the restore task reads), dated copies under dated_prefix/dated/, encrypted with kms_key_arn (the bucket's default key)."
  type = object({
    bucket_name  = string
    kms_key_arn  = string
    object_key   = optional(string, "neo4j-data-volume.tar.gz")
    dated_prefix = optional(string, "neo4j-data-volume")
  })

  validation {
    condition     = !startswith(var.backup.object_key, "/") && length(var.backup.object_key) > 0 && can(regex("^[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]$", var.backup.dated_prefix))
    error_message = "The object key and the dated prefix must be relative S3 key parts (no leading or trailing '/')."
  }
}

variable "tls" {
  description = "Neo4j's TLS secret (JSON: private_key, certificate) and its key: the scratch Neo4j of the validation serves Bolt over TLS only, as the service does."
  type = object({
    secret_arn  = string
    kms_key_arn = string
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:ca-(central|west)-1:[0-9]{12}:secret:", var.tls.secret_arn))
    error_message = "The TLS secret must be a Secrets Manager ARN in a Canadian region."
  }
}

variable "images" {
  description = "Images: backup (AWS CLI: stops Neo4j, archives, uploads), neo4j (the scratch Neo4j of the validation, same version as the service), validate (the API image: Python with boto3 and the neo4j driver)."
  type = object({
    backup   = optional(string, "public.ecr.aws/aws-cli/aws-cli:2.17.0")
    neo4j    = optional(string, "public.ecr.aws/docker/library/neo4j:5.15-community")
    validate = string
  })

  validation {
    condition     = alltrue([for image in [var.images.backup, var.images.neo4j, var.images.validate] : !endswith(image, ":latest") && can(regex("[:@]", image))])
    error_message = "Every image needs a pinned tag or digest, never latest."
  }
}

variable "schedules" {
  description = "EventBridge Scheduler expressions and their time zone: the backup, then the validation of the archive it wrote (after the backup has had time to finish)."
  type = object({
    backup     = optional(string, "cron(0 3 * * ? *)")
    validation = optional(string, "cron(0 5 * * ? *)")
    timezone   = optional(string, "America/Toronto")
  })
  default = {}

  validation {
    condition     = alltrue([for e in [var.schedules.backup, var.schedules.validation] : can(regex("^(cron|rate)\\(.+\\)$", e))])
    error_message = "Schedules are cron(...) or rate(...) expressions."
  }
}

variable "validation" {
  description = "The validation task: scratch space (Fargate ephemeral storage, GiB; holds the archive and the unpacked store), Neo4j heap, the oldest archive it accepts (hours), how long it waits for Neo4j (seconds)."
  type = object({
    ephemeral_storage_gib = optional(number, 50)
    heap                  = optional(string, "1G")
    max_age_hours         = optional(number, 26)
    neo4j_wait_seconds    = optional(number, 600)
  })
  default = {}

  validation {
    condition     = var.validation.ephemeral_storage_gib >= 21 && var.validation.ephemeral_storage_gib <= 200
    error_message = "Fargate ephemeral storage is 21-200 GiB."
  }
}

variable "metric_namespace" {
  description = "CloudWatch namespace of BackupSucceeded and ValidationSucceeded (dimension Env)."
  type        = string
  default     = "NoteGen/Backup"
}

variable "alarm" {
  description = "The alarm on ValidationSucceeded < 1 (missing data is breaching): its SNS topic (the stack's alarm topic), runbook link, and the period (seconds) in which a validation must have succeeded."
  type = object({
    topic_arn   = string
    runbook_url = string
    period      = optional(number, 86400)
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:ca-(central|west)-1:[0-9]{12}:", var.alarm.topic_arn)) && startswith(var.alarm.runbook_url, "https://")
    error_message = "The alarm needs an SNS topic ARN in a Canadian region and an https runbook link."
  }
  validation {
    condition     = var.alarm.period >= 3600 && var.alarm.period <= 86400 && var.alarm.period % 60 == 0
    error_message = "The period is a whole number of minutes between one hour and one day."
  }
}

variable "log" {
  description = "CloudWatch log group of both jobs: customer-managed key and retention (>= 90 days; >= 365 in prod)."
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

variable "enabled" {
  description = "Whether the schedules run (ENABLED) or are kept but paused (DISABLED)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
