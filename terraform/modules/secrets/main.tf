# Application secrets (Azure OpenAI, Langfuse): CMK-encrypted containers with scheduled rotation.
# Terraform never sets a value, so none can reach a plan, a state file or an output.
resource "aws_secretsmanager_secret" "this" {
  for_each = var.definitions

  name                    = "${var.name_prefix}${each.key}"
  description             = each.value.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = merge(var.tags, { RotationStrategy = each.value.strategy })
}

resource "aws_secretsmanager_secret_rotation" "this" {
  for_each = var.rotation.enabled ? var.definitions : {}

  secret_id           = aws_secretsmanager_secret.this[each.key].id
  rotation_lambda_arn = var.rotation.lambda_arn
  rotate_immediately  = false

  rotation_rules {
    automatically_after_days = var.rotation.days
  }
}
