# Vector search and transcript storage: a VPC-only domain, encrypted at rest (CMK), node to node and in
# transit (TLS 1.2+), IAM-based fine-grained access control and every log type to encrypted log groups.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  domain_arn = "arn:${data.aws_partition.this.partition}:es:${data.aws_region.this.name}:${data.aws_caller_identity.this.account_id}:domain/${var.name}"
  log_types = {
    AUDIT_LOGS          = "audit"
    INDEX_SLOW_LOGS     = "index-slow"
    SEARCH_SLOW_LOGS    = "search-slow"
    ES_APPLICATION_LOGS = "application"
  }
}

resource "aws_security_group" "this" {
  name        = "${var.name}-opensearch"
  description = "OpenSearch ${var.name}: HTTPS from the API tasks only"
  vpc_id      = var.network.vpc_id

  ingress {
    description     = "HTTPS from the API tasks"
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [var.network.client_security_group_id]
  }

  # No egress block: the domain initiates no connections.
  tags = merge(var.tags, { Name = "${var.name}-opensearch" })
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_types

  name              = "/aws/opensearch/${var.name}/${each.value}"
  kms_key_id        = var.log.kms_key_arn
  retention_in_days = var.log.retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_resource_policy" "this" {
  policy_name = "${var.name}-opensearch-logs"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OpenSearchWritesItsLogGroups"
      Effect    = "Allow"
      Principal = { Service = "es.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = [for g in aws_cloudwatch_log_group.this : "${g.arn}:*"]
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.this.account_id }
        ArnLike      = { "aws:SourceArn" = local.domain_arn }
      }
    }]
  })
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = var.engine_version

  cluster_config {
    instance_type          = var.cluster.instance_type
    instance_count         = var.cluster.instance_count
    zone_awareness_enabled = var.cluster.zone_count > 1

    dynamic "zone_awareness_config" {
      for_each = var.cluster.zone_count > 1 ? [var.cluster.zone_count] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.cluster.volume_size
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = var.kms_key_arn
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = var.tls_security_policy
  }

  vpc_options {
    subnet_ids         = slice(var.network.private_subnet_ids, 0, var.cluster.zone_count)
    security_group_ids = [aws_security_group.this.id]
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = false
    master_user_options {
      master_user_arn = var.master_user_arn
    }
  }

  dynamic "log_publishing_options" {
    for_each = local.log_types
    content {
      log_type                 = log_publishing_options.key
      cloudwatch_log_group_arn = aws_cloudwatch_log_group.this[log_publishing_options.key].arn
      enabled                  = true
    }
  }

  software_update_options {
    auto_software_update_enabled = true
  }

  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ApiTasksOnly"
      Effect    = "Allow"
      Principal = { AWS = var.access_role_arns }
      Action    = ["es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPatch", "es:ESHttpPost", "es:ESHttpPut"]
      Resource  = "${local.domain_arn}/*"
    }]
  })

  tags = var.tags

  depends_on = [aws_cloudwatch_log_resource_policy.this]
}
