# A customer-managed key with yearly rotation. The key policy names only this account and, optionally,
# AWS service principals acting for this account (aws:SourceAccount): never a public principal.
locals {
  account_root = "arn:aws:iam::${var.account_id}:root"

  administration = {
    Sid       = "AccountAdministersKey"
    Effect    = "Allow"
    Principal = { AWS = local.account_root }
    Action = [
      "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias", "kms:DescribeKey",
      "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
      "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:RetireGrant",
      "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    Resource = "*"
  }

  # IAM policies in this account delegate use of the key to named roles (EFS, S3, Secrets Manager, ...).
  account_use = {
    Sid       = "AccountIamPoliciesDelegateUse"
    Effect    = "Allow"
    Principal = { AWS = local.account_root }
    Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
    Resource  = "*"
  }

  service_use = [
    for principal in var.service_principals : {
      Sid       = "ServiceUse${replace(title(replace(principal, ".", " ")), " ", "")}"
      Effect    = "Allow"
      Principal = { Service = principal }
      Action    = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }
  ]
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true # yearly, the AWS default period
  deletion_window_in_days = var.deletion_window_in_days
  key_usage               = "ENCRYPT_DECRYPT"
  multi_region            = false

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([local.administration, local.account_use], local.service_use)
  })

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
