terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
      # ca-west-1: the vault that receives a copy of every recovery point (disaster recovery in Canada)
      configuration_aliases = [aws.copy]
    }
  }
}
