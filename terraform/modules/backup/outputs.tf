output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "vault_name" {
  description = "Name of the vault (the BackupVaultName dimension of AWS Backup's metrics)."
  value       = aws_backup_vault.this.name
}
