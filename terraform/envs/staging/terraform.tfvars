environment = "staging"
region      = "ca-central-1"
account_id  = "111122223333" # the staging account (AWS documentation example id until the account is assigned)

network = {
  cidr_block = "10.10.0.0/16"
  subnets = [
    { availability_zone = "ca-central-1a", public_cidr = "10.10.0.0/24", private_cidr = "10.10.10.0/24" },
    { availability_zone = "ca-central-1b", public_cidr = "10.10.1.0/24", private_cidr = "10.10.11.0/24" },
  ]
  single_nat_gateway = true
}

domain_name = "api.staging.notegen.ai"

api = {
  image_tag = "v0.1.0"
  scaling   = { desired_count = 1, min_count = 1, max_count = 3 }
}

opensearch = {
  instance_type  = "t3.medium.search"
  instance_count = 2
  zone_count     = 2
  volume_size    = 20
}

neo4j = {
  cpu        = 1024
  memory     = 4096
  heap       = "1G"
  page_cache = "1G"
}

log_retention_days          = 90
secret_recovery_window_days = 7
backup_retention_days       = 35

github = {
  repository = "notegen/notegen-ai-apis"
}

state_bucket = "notegen-terraform-state"
