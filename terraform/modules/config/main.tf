# Non-secret runtime configuration (service URLs, endpoints, region) in Parameter Store as plain String
# parameters: their values are in the plan by design and reviewable there (insecure_value: the provider
# marks `value` sensitive, which would hide the endpoints from review and from the in-transit rule ENC033).
# Names that look secret are refused (variables.tf); secrets live in Secrets Manager, never here.
resource "aws_ssm_parameter" "this" {
  for_each = var.parameters

  name           = "${var.path}${each.key}"
  type           = "String"
  insecure_value = each.value
  tier           = "Standard"
  tags           = var.tags
}
