# Staging's weakened twin for the live tier (tests/integration/test_tier_violations.py): every block below
# but module "kms" seeds one violation the gate claims to catch. The scans must fail exactly the rules and
# resources listed in tests/integration/violations.py, in HCL+plan and live alike. Used only from a copy
# beside terraform/envs/ (module paths are relative to it); never applied anywhere but an emulator.
terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

locals {
  name = "notegen-violations"
}

provider "aws" {
  region = "ca-central-1"
}

# Staging's replica provider is in ca-west-1; here it points outside Canada.
provider "aws" {
  alias  = "replica"
  region = "us-east-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

# The real module, as staging calls it: passes every rule (the control of this root).
module "kms" {
  source = "../../modules/kms"

  account_id  = "123456789012"
  alias       = "${local.name}-data"
  description = "${local.name}: the search domain"
}

# The real module, weakened only by its provider: a key in us-east-1 (data residency).
module "kms_us" {
  source    = "../../modules/kms"
  providers = { aws = aws.replica }

  account_id  = "123456789012"
  alias       = "${local.name}-us"
  description = "${local.name}: outside Canada"
}

# A bucket with no encryption configuration (nor any of the s3_bucket module's other guards).
resource "aws_s3_bucket" "unencrypted" {
  bucket = "${local.name}-unencrypted"
}

# Neo4j's Bolt port open to the internet.
resource "aws_security_group" "world_bolt" {
  name        = "${local.name}-world-bolt"
  description = "Bolt from anywhere"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    description = "Bolt"
    from_port   = 7687
    to_port     = 7687
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Every action on every resource.
resource "aws_iam_policy" "wildcard" {
  name = "${local.name}-wildcard"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "public" {
  family                   = "${local.name}-public"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name      = "app"
    image     = "public.ecr.aws/docker/library/busybox:1.36"
    essential = true
    command   = ["sleep", "3600"]
    healthCheck = {
      command  = ["CMD", "true"]
      interval = 30
      timeout  = 5
      retries  = 3
    }
  }])
}

# A task with a public IP, in the default VPC's (public) subnets.
resource "aws_ecs_service" "public" {
  name            = "${local.name}-public"
  cluster         = aws_ecs_cluster.this.arn
  task_definition = aws_ecs_task_definition.public.arn
  desired_count   = 0
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }
}

# A search domain without node-to-node encryption.
resource "aws_opensearch_domain" "no_node_to_node" {
  domain_name    = "notegen-violations"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type  = "t3.small.search"
    instance_count = 1
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = module.kms.arn
  }

  node_to_node_encryption {
    enabled = false
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}
