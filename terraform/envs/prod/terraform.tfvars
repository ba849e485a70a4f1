environment = "prod"
region      = "ca-central-1"
account_id  = "444455556666" # the prod account (AWS documentation example id until the account is assigned)

network = {
  cidr_block = "10.20.0.0/16"
  subnets = [
    { availability_zone = "ca-central-1a", public_cidr = "10.20.0.0/24", private_cidr = "10.20.10.0/24" },
    { availability_zone = "ca-central-1b", public_cidr = "10.20.1.0/24", private_cidr = "10.20.11.0/24" },
    { availability_zone = "ca-central-1d", public_cidr = "10.20.2.0/24", private_cidr = "10.20.12.0/24" },
  ]
  single_nat_gateway = false
}

domain_name = "api.notegen.ai"

api = {
  image_tag = "v0.1.0"
  cpu       = 1024
  memory    = 2048
  scaling   = { desired_count = 3, min_count = 3, max_count = 12 }
}

opensearch = {
  instance_type  = "r6g.large.search"
  instance_count = 3
  zone_count     = 3
  volume_size    = 100
}

neo4j = {
  cpu        = 2048
  memory     = 8192
  heap       = "3G"
  page_cache = "3G"
}

log_retention_days          = 365
secret_recovery_window_days = 30
backup_retention_days       = 365

github = {
  repository = "notegen/notegen-ai-apis"
}

state_bucket = "notegen-terraform-state"
