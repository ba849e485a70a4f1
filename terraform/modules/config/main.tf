# Non-secret runtime configuration in Parameter Store, encrypted with the CMK (SecureString) so that a
# misplaced value is never stored in clear text.
resource "aws_ssm_parameter" "this" {
  for_each = var.parameters

  name   = "${var.path}${each.key}"
  type   = "SecureString"
  key_id = var.kms_key_arn
  value  = each.value
  tier   = "Standard"
  tags   = var.tags
}
