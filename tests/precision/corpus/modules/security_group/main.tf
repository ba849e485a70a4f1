variable "create" {
  type    = bool
  default = true
}
variable "name" {
  type = string
}
variable "vpc_id" {
  type = string
}
variable "vpc_cidr" {
  type = string
}
variable "ingress_rules" {
  type    = any
  default = []
}

resource "aws_security_group" "this" {
  count       = var.create ? 1 : 0
  name        = var.name
  description = "Managed by the corpus"
  vpc_id      = var.vpc_id
  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      description = try(ingress.value.description, null)
      protocol    = try(ingress.value.protocol, "tcp")
      from_port   = ingress.value.from_port
      to_port     = ingress.value.to_port
      cidr_blocks = try(ingress.value.cidr_blocks, [var.vpc_cidr])
    }
  }
}
