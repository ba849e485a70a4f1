# A module-style stack as public registry modules write it: create switches, count = 0 resources,
# dynamic blocks over lists with try() defaults, values through locals and concat. Every resource is
# meant to be compliant: any FAIL the rules give here is a false failure (tests/test_precision.py).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "ca-central-1"
}

data "aws_partition" "current" {}

locals {
  name = "corpus"
  tags = { Project = "corpus", Environment = "test" }
  extra_ingress = [
    { description = "HTTPS from the VPC", from_port = 443, to_port = 443 },
  ]
}

module "network" {
  source          = "./modules/network"
  name            = local.name
  cidr_block      = "10.50.0.0/16"
  private_subnets = ["10.50.1.0/24", "10.50.2.0/24"]
  enable_ipv6     = true
  tags            = local.tags
}

# A second network turned off: every resource in it has count = 0.
module "network_disabled" {
  source          = "./modules/network"
  create          = false
  name            = "${local.name}-off"
  cidr_block      = "10.60.0.0/16"
  private_subnets = ["10.60.1.0/24"]
}

module "app_sg" {
  source        = "./modules/security_group"
  name          = "${local.name}-app"
  vpc_id        = module.network.vpc_id
  vpc_cidr      = module.network.vpc_cidr_block
  ingress_rules = concat(local.extra_ingress, [{ description = "PostgreSQL", from_port = 5432, to_port = 5432 }])
}

module "sg_disabled" {
  source        = "./modules/security_group"
  create        = false
  name          = "${local.name}-off"
  vpc_id        = module.network.vpc_id
  vpc_cidr      = "0.0.0.0/0"
  ingress_rules = [{ from_port = 22, to_port = 22 }]
}

module "task_role" {
  source    = "./modules/iam_role"
  name      = "${local.name}-task"
  partition = data.aws_partition.current.partition
  managed_policies = concat(
    ["arn:${data.aws_partition.current.partition}:iam::aws:policy/CloudWatchLogsReadOnlyAccess"],
    [],
  )
}

module "secrets" {
  source = "./modules/service_secrets"
  name   = local.name
  secret_arns = {
    DB_PASSWORD = "arn:aws:secretsmanager:ca-central-1:111122223333:secret:corpus/db-AbCdEf"
  }
  api_token_parameter = "/corpus/api/token"
}
