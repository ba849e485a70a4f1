variable "create" {
  type    = bool
  default = true
}
variable "name" {
  type = string
}
variable "cidr_block" {
  type = string
}
variable "private_subnets" {
  type    = list(string)
  default = []
}
variable "enable_ipv6" {
  type    = bool
  default = false
}
variable "acl_rules" {
  type    = list(any)
  default = []
}
variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  count = var.create ? 1 : 0
  # Registry-style defaults: rules given without a field take it from try().
  acl_rules = concat(
    [{ rule_no = 100, from_port = 443, to_port = 443, cidr_block = "0.0.0.0/0" }],
    [{ rule_no = 110, from_port = 1024, to_port = 65535, cidr_block = var.cidr_block }],
    var.acl_rules,
  )
}

resource "aws_vpc" "this" {
  count                            = local.count
  cidr_block                       = var.cidr_block
  assign_generated_ipv6_cidr_block = var.enable_ipv6
  enable_dns_hostnames             = true
  tags                             = merge(var.tags, { Name = var.name })
}

resource "aws_default_security_group" "this" {
  count  = local.count
  vpc_id = aws_vpc.this[0].id
}

resource "aws_cloudwatch_log_group" "flow" {
  count             = local.count
  name              = "/vpc/${var.name}/flow"
  retention_in_days = 400
  kms_key_id        = aws_kms_key.logs[0].arn
}

resource "aws_kms_key" "logs" {
  count               = local.count
  description         = "${var.name} flow logs"
  enable_key_rotation = true
}

data "aws_iam_policy_document" "flow_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "flow" {
  count              = local.count
  name               = "${var.name}-flow"
  assume_role_policy = data.aws_iam_policy_document.flow_assume.json
}

resource "aws_flow_log" "this" {
  count           = local.count
  vpc_id          = aws_vpc.this[0].id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow[0].arn
  iam_role_arn    = aws_iam_role.flow[0].arn
}

resource "aws_egress_only_internet_gateway" "this" {
  count  = var.create && var.enable_ipv6 ? 1 : 0
  vpc_id = aws_vpc.this[0].id
}

resource "aws_route_table" "private" {
  count  = local.count
  vpc_id = aws_vpc.this[0].id
  dynamic "route" {
    for_each = var.enable_ipv6 ? [1] : []
    content {
      ipv6_cidr_block        = "::/0"
      egress_only_gateway_id = aws_egress_only_internet_gateway.this[0].id
    }
  }
}

resource "aws_subnet" "private" {
  count                           = var.create ? length(var.private_subnets) : 0
  vpc_id                          = aws_vpc.this[0].id
  cidr_block                      = var.private_subnets[count.index]
  ipv6_cidr_block                 = var.enable_ipv6 ? cidrsubnet(aws_vpc.this[0].ipv6_cidr_block, 8, count.index) : null
  assign_ipv6_address_on_creation = var.enable_ipv6
  map_public_ip_on_launch         = false
}

resource "aws_route_table_association" "private" {
  count          = var.create ? length(var.private_subnets) : 0
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}

resource "aws_network_acl" "private" {
  count      = local.count
  vpc_id     = aws_vpc.this[0].id
  subnet_ids = aws_subnet.private[*].id
  dynamic "ingress" {
    for_each = local.acl_rules
    content {
      rule_no    = ingress.value.rule_no
      action     = try(ingress.value.action, "allow")
      protocol   = try(ingress.value.protocol, "tcp")
      from_port  = ingress.value.from_port
      to_port    = ingress.value.to_port
      cidr_block = try(ingress.value.cidr_block, var.cidr_block)
    }
  }
}

output "vpc_id" {
  value = try(aws_vpc.this[0].id, null)
}
output "vpc_cidr_block" {
  value = try(aws_vpc.this[0].cidr_block, var.cidr_block)
}
