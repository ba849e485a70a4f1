# NoteGen AI APIs: the whole stack of one environment. envs/staging and envs/prod call it once each with what
# differs between them; providers (the default one and the ca-west-1 `replica`) come from the env root.
locals {
  name           = "${var.project}-${var.environment}"
  account_id     = var.account_id
  secret_path    = "${local.name}/"
  parameter_path = "/${var.project}/${var.environment}/"
  log            = { kms_key_arn = module.kms.arn, retention_days = var.log_retention_days }
  # The API's deployments roll back when these fire (names as modules/alarms builds them).
  deployment_alarms = ["${local.name}-api-target-5xx", "${local.name}-api-unhealthy"]
  private           = module.vpc.private_subnet_ids
}

# --- keys ------------------------------------------------------------------------------------------------
module "kms" {
  source = "../kms"

  account_id  = local.account_id
  alias       = "${local.name}-data"
  description = "${local.name}: data, logs, secrets, parameters, backups, trail and alarms"
  service_principals = [
    "logs.${var.region}.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "cloudwatch.amazonaws.com",
  ]
}

module "kms_replica" {
  source    = "../kms"
  providers = { aws = aws.replica }

  account_id  = local.account_id
  alias       = "${local.name}-replica"
  description = "${local.name}: backup replicas and their alarms in ca-west-1"
  # The replica's alarm topic (modules/alarms in ca-west-1) is encrypted with this key.
  service_principals = ["cloudwatch.amazonaws.com"]
}

# --- network and compute -----------------------------------------------------------------------------------
module "vpc" {
  source = "../vpc"

  name                    = local.name
  environment             = var.environment
  cidr_block              = var.network.cidr_block
  subnets                 = var.network.subnets
  single_nat_gateway      = var.network.single_nat_gateway
  kms_key_arn             = module.kms.arn
  flow_log_retention_days = var.log_retention_days
}

module "cluster" {
  source = "../ecs_cluster"

  name      = local.name
  vpc_id    = module.vpc.vpc_id
  namespace = "${var.environment}.${var.project}.internal"
}

module "ecr" {
  source = "../ecr"

  name        = "${local.name}/api"
  kms_key_arn = module.kms.arn
  ci_role_arn = module.github.deploy_role_arn
}

module "api" {
  source = "../ecs_service"

  name               = "${local.name}-api"
  environment        = var.environment
  network            = { vpc_id = module.vpc.vpc_id, vpc_cidr = module.vpc.cidr_block }
  public_subnet_ids  = module.vpc.public_subnet_ids
  private_subnet_ids = local.private
  cluster            = { arn = module.cluster.arn, name = module.cluster.name, namespace_id = module.cluster.namespace_id }
  image = {
    repository_arn = module.ecr.arn
    repository_url = module.ecr.repository_url
    tag            = var.api.image_tag
  }
  task_size   = { cpu = var.api.cpu, memory = var.api.memory }
  scaling     = merge(var.api.scaling, { autoscaling = var.emulator_compat.app_autoscaling })
  certificate = { domain_name = var.domain_name, wait_for_validation = var.certificate_wait_for_validation }
  alb         = { deletion_protection = var.protection.alb_deletion_protection }
  access_logs = {
    bucket_name   = "${local.name}-alb-logs-${local.account_id}"
    force_destroy = var.protection.force_destroy_buckets
  }
  # The service's configuration contract (service/settings.py; tests/service/test_contract.py holds the two
  # together): secrets by reference, everything else as plain values.
  secret_arns = {
    API_CLIENTS          = { secret_arn = module.secrets.arns["api"], json_key = "api_clients" }
    AUDIT_HMAC_KEY       = { secret_arn = module.secrets.arns["api"], json_key = "audit_hmac_key" }
    AZURE_OPENAI_API_KEY = { secret_arn = module.secrets.arns["azure-openai"], json_key = "api_key" }
    NEO4J_USERNAME       = { secret_arn = module.neo4j.secret_arn, json_key = "username" }
    NEO4J_PASSWORD       = { secret_arn = module.neo4j.secret_arn, json_key = "password" }
    NEO4J_CA_CERT        = { secret_arn = module.secrets.arns["neo4j-tls"], json_key = "ca_certificate" }
    TLS_CERTIFICATE      = { secret_arn = module.secrets.arns["api-tls"], json_key = "certificate" }
    TLS_PRIVATE_KEY      = { secret_arn = module.secrets.arns["api-tls"], json_key = "private_key" }
  }
  environment_variables = {
    APP_ENV                           = var.environment
    AWS_REGION                        = var.region
    NEO4J_URI                         = module.neo4j.bolt_uri
    OPENSEARCH_ENDPOINT               = "https://${module.opensearch.endpoint}"
    OPENSEARCH_AUTH_METHOD            = "sigv4"
    EMBEDDING_PROVIDER                = "azure-openai"
    NOTE_GENERATOR                    = "azure-openai"
    AZURE_OPENAI_ENDPOINT             = var.api.azure_openai.endpoint
    AZURE_OPENAI_API_VERSION          = var.api.azure_openai.api_version
    AZURE_OPENAI_CHAT_DEPLOYMENT      = var.api.azure_openai.chat_deployment
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT = var.api.azure_openai.embedding_deployment
  }
  decrypt_kms_key_arns = [module.kms.arn]
  task_policy_statements = [{
    sid       = "OpenSearchHttp"
    actions   = module.opensearch.http_actions
    resources = ["${module.opensearch.domain_arn_pattern}/*"]
  }]
  otel_collector    = { image = var.otel_collector_image }
  deployment_alarms = local.deployment_alarms
  log               = local.log
}

# --- data stores ---------------------------------------------------------------------------------------------
module "opensearch" {
  source = "../opensearch"

  name        = local.name
  environment = var.environment
  network = {
    vpc_id                   = module.vpc.vpc_id
    private_subnet_ids       = local.private
    client_security_group_id = module.api.security_group_id
  }
  kms_key_arn      = module.kms.arn
  access_role_arns = [module.api.task_role_arn]
  master_user_arn  = module.api.task_role_arn
  cluster          = var.opensearch
  log              = local.log
}

module "neo4j" {
  source = "../neo4j"

  name        = "${local.name}-neo4j"
  environment = var.environment
  network = {
    vpc_id                   = module.vpc.vpc_id
    vpc_cidr                 = module.vpc.cidr_block
    private_subnet_ids       = local.private
    client_security_group_id = module.api.security_group_id
  }
  cluster = {
    arn            = module.cluster.arn
    name           = module.cluster.name
    namespace_id   = module.cluster.namespace_id
    namespace_name = module.cluster.namespace_name
  }
  task_size               = { cpu = var.neo4j.cpu, memory = var.neo4j.memory, heap = var.neo4j.heap, page_cache = var.neo4j.page_cache }
  kms_key_arn             = module.kms.arn
  log                     = local.log
  admin_password          = var.neo4j_admin_password
  admin_secret_name       = "${local.secret_path}neo4j-admin"
  admin_password_version  = var.neo4j.password_version
  recovery_window_in_days = var.secret_recovery_window_days
  rotation                = { enabled = true, lambda_arn = module.rotation.arn, days = var.secret_rotation_days }
  backup                  = { bucket_name = module.backup_bucket.id, bucket_kms_key_arn = module.kms.arn }
  restore                 = var.neo4j.restore
  efs_backup_policy       = var.emulator_compat.efs_backup_policy
  tls                     = { secret_arn = module.secrets.arns["neo4j-tls"] }
  data_readers            = [module.neo4j_backup.backup_task_role_arn]
}

# Nightly archive of the Neo4j volume (the key the restore reads, plus dated copies) and its validation.
module "neo4j_backup" {
  source = "../backup_jobs"

  name        = "${local.name}-neo4j-backup"
  environment = var.environment
  cluster     = { arn = module.cluster.arn, name = module.cluster.name }
  network = {
    vpc_id                   = module.vpc.vpc_id
    private_subnet_ids       = local.private
    backup_security_group_id = module.neo4j.security_group_id
  }
  neo4j = {
    service_name     = module.neo4j.service_name
    file_system_id   = module.neo4j.file_system_id
    file_system_arn  = module.neo4j.file_system_arn
    access_point_id  = module.neo4j.access_point_id
    access_point_arn = module.neo4j.access_point_arn
  }
  backup = { bucket_name = module.backup_bucket.id, kms_key_arn = module.kms.arn, object_key = module.neo4j.backup_object_key }
  tls    = { secret_arn = module.secrets.arns["neo4j-tls"], kms_key_arn = module.kms.arn }
  images = { validate = "${module.ecr.repository_url}:${var.api.image_tag}" }
  alarm  = { topic_arn = module.alarms.topic_arn, runbook_url = "https://github.com/${var.github.repository}/blob/main/docs/runbooks/disaster-recovery.md#backup-validation" }
  log    = local.log
}

module "backup_bucket" {
  source = "../s3_bucket"

  name          = "${local.name}-backups-${local.account_id}"
  kms_key_arn   = module.kms.arn
  force_destroy = var.protection.force_destroy_buckets
  replication = {
    destination_bucket_arn  = module.replica_bucket.arn
    destination_region      = "ca-west-1"
    destination_kms_key_arn = module.kms_replica.arn
  }
}

module "replica_bucket" {
  source    = "../s3_bucket"
  providers = { aws = aws.replica }

  name          = "${local.name}-backups-replica-${local.account_id}"
  kms_key_arn   = module.kms_replica.arn
  force_destroy = var.protection.force_destroy_buckets
}

module "backup" {
  source = "../backup"

  name             = local.name
  environment      = var.environment
  kms_key_arn      = module.kms.arn
  resource_arns    = [module.neo4j.file_system_arn]
  schedule         = { retention_days = var.backup_retention_days }
  copy             = { kms_key_arn = module.kms_replica.arn }
  providers        = { aws = aws, aws.copy = aws.replica }
  create_selection = var.emulator_compat.aws_backup_selection
}

# --- configuration and secrets -------------------------------------------------------------------------------
module "config" {
  source = "../config"

  path = local.parameter_path
  parameters = {
    neo4j_uri           = module.neo4j.bolt_uri
    opensearch_endpoint = "https://${module.opensearch.endpoint}"
    aws_region          = var.region
  }
}

module "secrets" {
  source = "../secrets"

  name_prefix             = local.secret_path
  environment             = var.environment
  kms_key_arn             = module.kms.arn
  recovery_window_in_days = var.secret_recovery_window_days
  definitions = {
    azure-openai = { description = "Azure OpenAI API key (JSON: api_key)" }
    langfuse     = { description = "Langfuse host and keys (JSON: host, public_key, secret_key)" }
    api          = { description = "API clients and audit key (JSON: api_clients = list of client, scopes, token_sha256; audit_hmac_key)" }
    neo4j-tls    = { description = "Neo4j Bolt TLS (JSON: private_key, certificate, ca_certificate; PEM)" }
    api-tls      = { description = "The API's own TLS behind the load balancer (JSON: private_key, certificate; PEM)" }
  }
  rotation = {
    lambda_arn = module.rotation.arn
    days       = var.secret_rotation_days
    enabled    = var.emulator_compat.secret_rotation
  }
}

module "rotation" {
  source = "../secret_rotation"

  name              = "${local.name}-secret-rotation"
  environment       = var.environment
  secret_arn_prefix = "arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:${local.secret_path}"
  kms_key_arn       = module.kms.arn
  network = {
    vpc_id             = module.vpc.vpc_id
    private_subnet_ids = local.private
    # The API's security group: the only source Neo4j accepts, needed to set a rotated password.
    security_group_ids = [module.api.security_group_id]
  }
  neo4j_https_url = {
    url           = module.neo4j.https_uri
    ca_secret_arn = module.secrets.arns["neo4j-tls"]
  }
  log = local.log
}

# --- audit, alarms, CI -----------------------------------------------------------------------------------------
module "cloudtrail" {
  source = "../cloudtrail"

  name                 = local.name
  environment          = var.environment
  bucket_name          = "${local.name}-cloudtrail-${local.account_id}"
  kms_key_arn          = module.kms.arn
  log_retention_days   = var.log_retention_days
  force_destroy_bucket = var.protection.force_destroy_buckets
}

module "alarms" {
  source = "../alarms"

  name            = local.name
  environment     = var.environment
  kms_key_arn     = module.kms.arn
  email_endpoints = var.alarm_emails
  https_endpoints = var.alarm_https_endpoints
  load_balancer = {
    arn_suffix              = module.api.alb_arn_suffix
    target_group_arn_suffix = module.api.target_group_arn_suffix
  }
  ecs = {
    cluster_name = module.cluster.name
    services     = { api = module.api.service_name, neo4j = module.neo4j.service_name }
  }
  custom_metrics = true
  data_stores = {
    # A floor of 20% of one node's volume (GiB -> MiB).
    opensearch          = { domain_name = module.opensearch.domain_name, free_storage_mb = var.opensearch.volume_size * 1024 * 0.2 }
    efs_file_system_ids = [module.neo4j.file_system_id]
    bucket_names        = [module.backup_bucket.id, module.api.access_logs_bucket, module.cloudtrail.bucket_name]
  }
  backup   = { vault_name = module.backup.vault_name }
  rotation = { function_name = module.rotation.function_name }
}

# The replica bucket lives in ca-west-1, where its metrics are: its alarm and topic are there too.
module "alarms_replica" {
  source    = "../alarms"
  providers = { aws = aws.replica }

  name            = "${local.name}-replica"
  environment     = var.environment
  kms_key_arn     = module.kms_replica.arn
  email_endpoints = var.alarm_emails
  https_endpoints = var.alarm_https_endpoints
  data_stores     = { bucket_names = [module.replica_bucket.id] }
}

module "dashboard" {
  source = "../dashboard"

  name                     = local.name
  environment              = var.environment
  load_balancer_arn_suffix = module.api.alb_arn_suffix
  ecs = {
    cluster_name       = module.cluster.name
    api_service_name   = module.api.service_name
    neo4j_service_name = module.neo4j.service_name
  }
  opensearch_domain_name = module.opensearch.domain_name
  efs_file_system_ids    = [module.neo4j.file_system_id]
  backup_vault_name      = module.backup.vault_name
}

module "github" {
  source = "../github_oidc"

  name               = local.name
  repository         = var.github.repository
  create_provider    = var.github.create_provider
  ecr_repository_arn = module.ecr.arn
  # Prod plans only from its protected GitHub environment; staging also from pull requests.
  plan_subjects = var.environment == "prod" ? ["environment:prod"] : ["pull_request", "environment:staging"]
  deploy = {
    environment    = var.environment
    service_arn    = "arn:aws:ecs:${var.region}:${local.account_id}:service/${module.cluster.name}/${module.api.service_name}"
    alarm_names    = local.deployment_alarms
    task_role_arns = module.api.task_definition_role_arns
  }
  state = { bucket = var.state_bucket, key = "${var.environment}/terraform.tfstate" }
  read_scope = {
    bucket_prefix  = "${local.name}-"
    parameter_path = local.parameter_path
    secret_prefix  = local.secret_path
  }
}
