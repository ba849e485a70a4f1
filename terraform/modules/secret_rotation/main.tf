# The Secrets Manager rotation function (src/handler.py; src/handler.zip is its committed, reproducible
# package since no archive provider exists here). It may touch only the secrets under secret_arn_prefix.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  region     = data.aws_region.this.name
  account_id = data.aws_caller_identity.this.account_id
  ec2_arn    = "arn:${data.aws_partition.this.partition}:ec2:${local.region}:${local.account_id}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  kms_key_id        = var.log.kms_key_arn
  retention_in_days = var.log.retention_days
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name_prefix = "${substr(var.name, 0, 30)}-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "rotate-secrets"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "RotateOwnSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
        Resource = ["${var.secret_arn_prefix}*"]
      },
      {
        Sid      = "RandomPasswordCannotBeScoped"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetRandomPassword"]
        Resource = "*"
      },
      {
        Sid      = "UseSecretsKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [var.kms_key_arn]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
      {
        Sid      = "DescribeNetworkInterfacesCannotBeScoped"
        Effect   = "Allow"
        Action   = ["ec2:DescribeNetworkInterfaces"]
        Resource = "*"
      },
      {
        Sid    = "VpcNetworkInterfaces"
        Effect = "Allow"
        Action = ["ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"]
        Resource = concat(
          ["${local.ec2_arn}:network-interface/*"],
          [for s in var.network.private_subnet_ids : "${local.ec2_arn}:subnet/${s}"],
          [for g in var.network.security_group_ids : "${local.ec2_arn}:security-group/${g}"],
        )
      },
    ]
  })
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = "Rotates the ${var.environment} secrets (four-step Secrets Manager protocol)"
  role             = aws_iam_role.this.arn
  runtime          = "python3.12"
  handler          = "handler.lambda_handler"
  filename         = "${path.module}/src/handler.zip"
  source_code_hash = filebase64sha256("${path.module}/src/handler.zip")
  timeout          = 60
  memory_size      = 256
  kms_key_arn      = var.kms_key_arn

  environment {
    variables = {
      NEO4J_HTTPS_URL     = try(var.neo4j_https_url.url, "")
      NEO4J_CA_SECRET_ARN = try(var.neo4j_https_url.ca_secret_arn, "")
    }
  }

  vpc_config {
    subnet_ids         = var.network.private_subnet_ids
    security_group_ids = var.network.security_group_ids
  }

  tracing_config {
    mode = "PassThrough"
  }

  # Logs go to the default group /aws/lambda/<name>, created above with the CMK and retention.
  tags = var.tags

  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}

resource "aws_lambda_permission" "secrets_manager" {
  statement_id   = "SecretsManagerRotation"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_account = local.account_id
}
