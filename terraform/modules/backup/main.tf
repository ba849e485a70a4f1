# AWS Backup: a CMK-encrypted vault and a daily plan for the Neo4j file system (on top of the EFS
# automatic backup policy). Every recovery point is copied to a vault in ca-west-1 (the aws.copy provider),
# encrypted there with that region's key: a regional outage loses no backup, and copies stay in Canada.
resource "aws_backup_vault" "this" {
  name          = var.name
  kms_key_arn   = var.kms_key_arn
  force_destroy = false
  tags          = var.tags
}

resource "aws_backup_vault" "copy" {
  provider = aws.copy

  name          = "${var.name}-copy"
  kms_key_arn   = var.copy.kms_key_arn
  force_destroy = false
  tags          = var.tags
}

resource "aws_backup_plan" "this" {
  name = var.name

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule.cron
    start_window      = 60
    completion_window = 360

    lifecycle {
      delete_after       = var.schedule.retention_days
      cold_storage_after = var.schedule.cold_after_days
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.copy.arn
      lifecycle {
        delete_after = var.schedule.retention_days
      }
    }
  }

  tags = var.tags
}

resource "aws_iam_role" "this" {
  name_prefix = "${var.name}-backup-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
    }]
  })
  tags = var.tags
}

# AWS-managed service-role policies for AWS Backup (scoped by the service, not administrator access).
resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restore" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

resource "aws_backup_selection" "this" {
  count = var.create_selection ? 1 : 0

  name         = "${var.name}-data"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = var.resource_arns
}
