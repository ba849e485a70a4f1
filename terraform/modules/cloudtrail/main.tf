# A multi-region trail with log file validation, encrypted with the CMK, delivered to its own private
# bucket and copied to a KMS-encrypted log group.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  account_id = data.aws_caller_identity.this.account_id
  trail_arn  = "arn:${data.aws_partition.this.partition}:cloudtrail:${data.aws_region.this.name}:${local.account_id}:trail/${var.name}"
  bucket_arn = "arn:${data.aws_partition.this.partition}:s3:::${var.bucket_name}"
  # Known before apply (unlike the log group's arn attribute), so the role policy is readable in a plan.
  log_arn = "arn:${data.aws_partition.this.partition}:logs:${data.aws_region.this.name}:${local.account_id}:log-group:/aws/cloudtrail/${var.name}"
}

module "bucket" {
  source = "../s3_bucket"

  name                  = var.bucket_name
  kms_key_arn           = var.kms_key_arn
  force_destroy         = var.force_destroy_bucket
  transition_to_ia_days = 90
  expiration_days       = 2557 # seven years
  policy_statements = [
    {
      Sid       = "CloudTrailReadsAcl"
      Effect    = "Allow"
      Principal = { Service = ["cloudtrail.amazonaws.com"] }
      Action    = ["s3:GetBucketAcl"]
      Resource  = [local.bucket_arn]
      Condition = { StringEquals = { "aws:SourceArn" = [local.trail_arn] } }
    },
    {
      Sid       = "CloudTrailWritesLogs"
      Effect    = "Allow"
      Principal = { Service = ["cloudtrail.amazonaws.com"] }
      Action    = ["s3:PutObject"]
      Resource  = ["${local.bucket_arn}/AWSLogs/${local.account_id}/*"]
      Condition = { StringEquals = { "aws:SourceArn" = [local.trail_arn], "s3:x-amz-acl" = ["bucket-owner-full-control"] } }
    },
  ]
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/cloudtrail/${var.name}"
  kms_key_id        = var.kms_key_arn
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name_prefix = "${var.name}-trail-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["cloudtrail.amazonaws.com"] }
      Action    = ["sts:AssumeRole"]
      Condition = { StringEquals = { "aws:SourceArn" = [local.trail_arn] } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "deliver-to-log-group"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${local.log_arn}:*"]
    }]
  })
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = module.bucket.id
  kms_key_id                    = var.kms_key_arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  enable_logging                = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.this.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  tags = var.tags

  depends_on = [module.bucket, aws_iam_role_policy.this]
}
