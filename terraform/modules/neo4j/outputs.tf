output "bolt_uri" {
  description = "Bolt URI of Neo4j through Cloud Map (inside the VPC), TLS only: its certificate names this host."
  value       = "bolt+s://neo4j.${var.cluster.namespace_name}:7687"
}

output "https_uri" {
  description = "HTTPS URI of Neo4j's HTTP API through Cloud Map (inside the VPC; plaintext HTTP is off)."
  value       = "https://neo4j.${var.cluster.namespace_name}:7473"
}

output "secret_arn" {
  description = "ARN of the admin credentials secret (JSON: username, password, auth). The value is never a Terraform output."
  value       = aws_secretsmanager_secret.this.arn
}

output "security_group_id" {
  description = "Security group of the Neo4j and restore tasks."
  value       = aws_security_group.this.id
}

output "file_system_arn" {
  description = "ARN of the EFS file system holding /data."
  value       = aws_efs_file_system.this.arn
}

output "file_system_id" {
  description = "ID of the EFS file system holding /data."
  value       = aws_efs_file_system.this.id
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "restore_task_definition_arn" {
  description = "ARN of the one-time restore task definition."
  value       = module.restore.task_definition_arn
}

output "access_point_id" {
  description = "ID of the EFS access point every task mounts /data through."
  value       = aws_efs_access_point.this.id
}

output "access_point_arn" {
  description = "ARN of the EFS access point every task mounts /data through."
  value       = aws_efs_access_point.this.arn
}

output "backup_object_key" {
  description = "Key of the backup object in the backup bucket (what the restore task reads, the backup job writes)."
  value       = var.backup.object_key
}
