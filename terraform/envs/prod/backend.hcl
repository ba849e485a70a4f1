# Partial S3 backend configuration: terraform init -backend-config=backend.hcl
bucket       = "notegen-terraform-state"
key          = "prod/terraform.tfstate"
region       = "ca-central-1"
encrypt      = true
use_lockfile = true
