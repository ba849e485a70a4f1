"""Identity policies use Resource "*" only for actions that AWS cannot scope to a resource."""

from __future__ import annotations

from compliance.analysis.policy import (
    IDENTITY_POLICY_TYPES,
    Statement,
    action_covers,
    allows,
    identity_policies,
    unreadable,
)
from compliance.analysis.results import verdict
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown

# Actions with no resource-level permissions: AWS accepts only Resource "*" for them. From the
# Service Authorization Reference (an empty "Resource types" column); extend with a link when adding.
UNSCOPABLE = (
    "sts:GetCallerIdentity",
    "ec2:Describe*",
    "ecr:GetAuthorizationToken",
    "ecs:DescribeTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "ecs:ListTaskDefinitions",
    "ecs:ListClusters",
    "ecs:CreateCluster",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    "cloudwatch:GetMetricData",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListMetrics",
    "logs:DescribeLogGroups",
    "ssm:DescribeParameters",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "kms:ListAliases",
    "kms:ListKeys",
    "kms:CreateKey",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:ListSecrets",
    "s3:ListAllMyBuckets",
    "s3:GetAccountPublicAccessBlock",
    "iam:ListRoles",
    "iam:ListPolicies",
    "es:ListDomainNames",
    "es:ListVersions",
    "elasticloadbalancing:Describe*",
    "autoscaling:Describe*",
    "servicediscovery:DiscoverInstances",
    "servicediscovery:GetOperation",
    "logs:DescribeResourcePolicies",
    "tag:GetResources",
    "acm:ListCertificates",
    "sns:ListTopics",
    "sqs:ListQueues",
    "route53:ListHostedZones",
    "cloudtrail:DescribeTrails",
)


def unscopable(action: str) -> bool:
    return any(action_covers(entry, action) for entry in UNSCOPABLE)


def _everywhere(statement: Statement) -> bool:
    """Resource "*" (or NotResource, which allows every other resource)."""
    return bool(statement.not_resources) or "*" in statement.resources


def check(resource: Resource, model: Model) -> Result | None:
    policies = identity_policies(resource, model)
    if not policies:
        return None
    problems: list[str] = []
    doubts = unreadable(policies)
    for where, statement in allows(policies):
        if any(isinstance(r, Unknown) and not r.refs for r in statement.resources):
            doubts.append(f"{where}: a Resource is unknown before apply")
        if not _everywhere(statement):
            continue
        if statement.not_actions:
            problems.append(f"{where}: NotAction on Resource '*'")
        for action in statement.actions:
            if isinstance(action, Unknown):
                doubts.append(f"{where}: an Action on Resource '*' is unknown before apply")
            elif not unscopable(action):
                problems.append(f"{where}: {action!r} on Resource '*' can be scoped to named resources")
    return verdict(problems, doubts, "Resource '*' is used only for actions without resource-level scope")


RULE = Rule(
    id="IAM002",
    title="IAM policies use Resource '*' only for actions that cannot be scoped",
    severity=Severity.HIGH,
    types=IDENTITY_POLICY_TYPES,
    rationale=(
        "Resource '*' extends a grant to every bucket, key, secret and log group in the account, present "
        "and future, including those holding PHI. Only actions without resource-level permissions (a "
        "documented table in this rule) need it."
    ),
    remediation="Name the ARNs the statement needs (e.g. a bucket's arn and its /* objects); keep "
    "'*' only for actions such as sts:GetCallerIdentity or ecr:GetAuthorizationToken.",
    controls={"HIPAA": ("164.312(a)(1)", "164.308(a)(4)(ii)(B)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
)
