variable "name" {
  type = string
}
variable "partition" {
  type = string
}
variable "managed_policies" {
  type    = list(string)
  default = []
}

locals {
  policies = concat(var.managed_policies, ["arn:${var.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"])
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each   = toset(local.policies)
  role       = aws_iam_role.this.name
  policy_arn = each.value
}
