# GitHub Actions federation: a read-only role for `terraform plan` and a deploy role that may push images to
# one repository and roll one ECS service to a new task definition revision. Trust is limited to this
# repository's exact subjects and audience; the deploy role only to jobs of the env's GitHub environment.
data "aws_caller_identity" "this" {}
data "aws_partition" "this" {}
data "aws_region" "this" {}

locals {
  partition    = data.aws_partition.this.partition
  account_id   = data.aws_caller_identity.this.account_id
  region       = data.aws_region.this.name
  issuer       = "token.actions.githubusercontent.com"
  provider_arn = var.create_provider ? aws_iam_openid_connect_provider.this[0].arn : "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.issuer}"

  trust = { for role, subjects in { plan = var.plan_subjects, deploy = ["environment:${var.deploy.environment}"] } : role => jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.provider_arn }
      Action    = ["sts:AssumeRoleWithWebIdentity"]
      Condition = {
        StringEquals = {
          "${local.issuer}:aud" = "sts.amazonaws.com"
          "${local.issuer}:sub" = [for s in subjects : "repo:${var.repository}:${s}"]
        }
      }
    }]
  }) }

  # Read calls that IAM cannot scope to a resource (AWS accepts only Resource "*" for them).
  unscoped_reads = [
    "acm:ListCertificates", "cloudtrail:DescribeTrails", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute",
    "ec2:DescribeAvailabilityZones", "ec2:DescribeFlowLogs", "ec2:DescribeInternetGateways",
    "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs", "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
    "kms:ListAliases", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "servicediscovery:GetOperation",
    "ssm:DescribeParameters", "sts:GetCallerIdentity",
    # The env's ephemeral Neo4j password is generated during plan too.
    "secretsmanager:GetRandomPassword",
  ]

  # Read calls scoped to this account (and its Canadian regions), service by service.
  in_region = "${local.region}:${local.account_id}"
  scoped_reads = {
    Acm              = { actions = ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], resources = ["arn:${local.partition}:acm:${local.in_region}:certificate/*"] }
    AutoScaling      = { actions = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:ListTagsForResource"], resources = ["arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*"] }
    Backup           = { actions = ["backup:DescribeBackupVault", "backup:GetBackupPlan", "backup:GetBackupSelection", "backup:ListTags"], resources = ["arn:${local.partition}:backup:${local.in_region}:backup-vault:*", "arn:${local.partition}:backup:${local.in_region}:backup-plan:*"] }
    CloudTrail       = { actions = ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus", "cloudtrail:ListTags"], resources = ["arn:${local.partition}:cloudtrail:${local.in_region}:trail/*"] }
    CloudWatch       = { actions = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"], resources = ["arn:${local.partition}:cloudwatch:${local.in_region}:alarm:*"] }
    Ecr              = { actions = ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"], resources = ["arn:${local.partition}:ecr:${local.in_region}:repository/*"] }
    Ecs              = { actions = ["ecs:DescribeClusters", "ecs:DescribeServices", "ecs:ListTagsForResource"], resources = ["arn:${local.partition}:ecs:${local.in_region}:*"] }
    Efs              = { actions = ["elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeBackupPolicy", "elasticfilesystem:DescribeFileSystemPolicy", "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeLifecycleConfiguration", "elasticfilesystem:DescribeMountTargetSecurityGroups", "elasticfilesystem:DescribeMountTargets"], resources = ["arn:${local.partition}:elasticfilesystem:${local.in_region}:*"] }
    OpenSearch       = { actions = ["es:DescribeDomain", "es:DescribeDomainConfig", "es:ListTags"], resources = ["arn:${local.partition}:es:${local.in_region}:domain/*"] }
    Kms              = { actions = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], resources = [for r in distinct([local.region, "ca-central-1", "ca-west-1"]) : "arn:${local.partition}:kms:${r}:${local.account_id}:key/*"] }
    Lambda           = { actions = ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetPolicy", "lambda:ListVersionsByFunction"], resources = ["arn:${local.partition}:lambda:${local.in_region}:function:*"] }
    Logs             = { actions = ["logs:ListTagsForResource"], resources = ["arn:${local.partition}:logs:${local.in_region}:*"] }
    SecretsManager   = { actions = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"], resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:${var.read_scope.secret_prefix}*"] }
    ServiceDiscovery = { actions = ["servicediscovery:GetNamespace", "servicediscovery:GetService", "servicediscovery:ListTagsForResource"], resources = ["arn:${local.partition}:servicediscovery:${local.in_region}:*"] }
    Sns              = { actions = ["sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListTagsForResource"], resources = ["arn:${local.partition}:sns:${local.in_region}:*"] }
    ParameterStore   = { actions = ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"], resources = ["arn:${local.partition}:ssm:${local.in_region}:parameter${var.read_scope.parameter_path}*"] }
    IamOfThisAccount = { actions = ["iam:GetOpenIDConnectProvider", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"], resources = ["arn:${local.partition}:iam::${local.account_id}:role/*", "arn:${local.partition}:iam::${local.account_id}:oidc-provider/*"] }
    State            = { actions = ["s3:GetObject"], resources = ["arn:${local.partition}:s3:::${var.state.bucket}/${var.state.key}"] }
    StateBucket      = { actions = ["s3:ListBucket"], resources = ["arn:${local.partition}:s3:::${var.state.bucket}"] }
    BucketConfiguration = {
      actions = [
        "s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLogging",
        "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy",
        "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment", "s3:GetBucketTagging",
        "s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
      ]
      resources = ["arn:${local.partition}:s3:::${var.read_scope.bucket_prefix}*"]
    }
  }
}

resource "aws_iam_openid_connect_provider" "this" {
  count = var.create_provider ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

resource "aws_iam_role" "plan" {
  name                 = "${var.name}-github-plan"
  description          = "Read-only terraform plan from pull requests of ${var.repository}"
  assume_role_policy   = local.trust.plan
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy" "plan" {
  name = "read-only-plan"
  role = aws_iam_role.plan.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "ReadsThatCannotBeScoped"
        Effect   = "Allow"
        Action   = local.unscoped_reads
        Resource = "*"
      }],
      [for sid, read in local.scoped_reads : {
        Sid      = "Read${sid}"
        Effect   = "Allow"
        Action   = read.actions
        Resource = read.resources
      }],
      # Plans refresh without secret values: the PR workflow plans with -refresh=false for the one resource
      # whose refresh reads a value (aws_secretsmanager_secret_version), and this makes sure of it.
      [{
        Sid      = "NeverReadSecretValues"
        Effect   = "Deny"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = "*"
      }],
    )
  })
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "Pushes images of ${var.repository} and deploys them to one ECS service (GitHub environment ${var.deploy.environment})"
  assume_role_policy   = local.trust.deploy
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy" "deploy" {
  name = "push-and-deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "EcrAuthorizationCannotBeScoped"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
      {
        Sid    = "PushToOneRepository"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
          "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = [var.ecr_repository_arn]
      },
      {
        Sid      = "TaskDefinitionsCannotBeScoped"
        Effect   = "Allow"
        Action   = ["ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
        Resource = "*"
      },
      {
        Sid      = "UpdateOneService"
        Effect   = "Allow"
        Action   = ["ecs:DescribeServices", "ecs:UpdateService"]
        Resource = [var.deploy.service_arn]
      },
      {
        Sid      = "WatchTheDeploymentAlarms"
        Effect   = "Allow"
        Action   = ["cloudwatch:DescribeAlarms"]
        Resource = [for name in var.deploy.alarm_names : "arn:${local.partition}:cloudwatch:${local.in_region}:alarm:${name}"]
      },
      {
        Sid       = "PassTheTwoTaskRolesToEcsOnly"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = var.deploy.task_role_arns
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
    ]
  })
}
