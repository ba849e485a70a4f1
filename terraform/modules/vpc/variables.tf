variable "name" {
  description = "Name prefix of every resource, e.g. notegen-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "The name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: staging or prod (prod requires a longer log retention)."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "The environment must be staging or prod."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC (a private range, /16 to /24)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24
    error_message = "The VPC CIDR must be a valid IPv4 CIDR between /16 and /24."
  }
  validation {
    condition     = can(regex("^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)", var.cidr_block))
    error_message = "The VPC CIDR must be in an RFC 1918 private range."
  }
}

variable "subnets" {
  description = "One entry per availability zone: the AZ and the CIDRs of its public and private subnet (at least two AZs)."
  type = list(object({
    availability_zone = string
    public_cidr       = string
    private_cidr      = string
  }))

  validation {
    condition     = length(var.subnets) >= 2 && length(distinct([for s in var.subnets : s.availability_zone])) == length(var.subnets)
    error_message = "At least two subnets entries in distinct availability zones are required."
  }
  validation {
    condition     = alltrue([for s in var.subnets : can(regex("^ca-(central|west)-1[a-z]$", s.availability_zone))])
    error_message = "Availability zones must be in ca-central-1 or ca-west-1."
  }
  validation {
    condition     = alltrue(flatten([for s in var.subnets : [can(cidrhost(s.public_cidr, 0)), can(cidrhost(s.private_cidr, 0))]]))
    error_message = "Every subnet CIDR must be a valid IPv4 CIDR."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper) instead of one per AZ (survives an AZ outage)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the flow log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group in days (>= 90; >= 365 in prod)."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "Retention must be a CloudWatch Logs value of at least 90 days."
  }
  validation {
    condition     = var.environment != "prod" || var.flow_log_retention_days >= 365
    error_message = "Prod logs must be kept at least 365 days."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
