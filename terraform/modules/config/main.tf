# Non-secret runtime configuration (service URLs, endpoints, region) in Parameter Store as plain String
# parameters: their values are in the plan by design and reviewable there. Names that look secret are
# refused (variables.tf); secrets live in Secrets Manager, never here.
resource "aws_ssm_parameter" "this" {
  for_each = var.parameters

  name  = "${var.path}${each.key}"
  type  = "String"
  value = each.value
  tier  = "Standard"
  tags  = var.tags
}
