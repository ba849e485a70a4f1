"""Seeded violations of our own modules and envs, each with its HCL edit and its plan JSON edit.

An Edit replaces text in a copy of terraform/ (the text must be found, so a module change that removes
it breaks the mutant loudly instead of silently skipping it). A plan edit changes a copy of the real
staging plan: `known` sets an attribute to a known value in planned_values and resource_changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Plan = dict[str, Any]


@dataclass(frozen=True)
class Edit:
    file: str  # relative to terraform/
    old: str
    new: str


@dataclass(frozen=True)
class Mutant:
    id: str
    family: str
    edits: tuple[Edit, ...]
    plan: Callable[[Plan], None]


def _resources(plan: Plan, address: str) -> list[dict[str, Any]]:
    """Every copy of a resource's values the loaders read: planned values and the change's after."""
    found: list[dict[str, Any]] = []

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", ()):
            if resource["address"] == address:
                found.append(resource["values"])
        for child in module.get("child_modules", ()):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    for change in plan["resource_changes"]:
        if change["address"] == address:
            found.append(change["change"]["after"])
    if not found:
        raise LookupError(f"{address} is not in the plan")
    return found


def known(address: str, path: str, value: Any) -> Callable[[Plan], None]:
    """Set a dotted path (list indexes as numbers) to a known value, and drop it from after_unknown."""
    keys: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]

    def apply(plan: Plan) -> None:
        for values in _resources(plan, address):
            _set(values, keys, value)
        for change in plan["resource_changes"]:
            if change["address"] == address:
                _forget(change["change"].get("after_unknown", {}), keys)

    return apply


def _set(target: Any, keys: list[str | int], value: Any) -> None:
    for key in keys[:-1]:
        if isinstance(key, int):
            while len(target) <= key:
                target.append({})
            target = target[key]
        else:
            if not isinstance(target.get(key), list | dict):
                target[key] = [] if isinstance(keys[keys.index(key) + 1], int) else {}
            target = target[key]
    target[keys[-1]] = value


def _forget(unknown: Any, keys: list[str | int]) -> None:
    for key in keys[:-1]:
        try:
            unknown = unknown[key]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(unknown, dict):
        unknown.pop(keys[-1], None)
    elif isinstance(unknown, list) and isinstance(keys[-1], int) and keys[-1] < len(unknown):
        unknown[keys[-1]] = False


def both(*edits: Callable[[Plan], None]) -> Callable[[Plan], None]:
    def apply(plan: Plan) -> None:
        for edit in edits:
            edit(plan)

    return apply


def provider_region(key: str, region: str) -> Callable[[Plan], None]:
    def apply(plan: Plan) -> None:
        expressions = plan["configuration"]["provider_config"][key].setdefault("expressions", {})
        expressions["region"] = {"constant_value": region}

    return apply


def variable(name: str, value: Any) -> Callable[[Plan], None]:
    def apply(plan: Plan) -> None:
        plan["variables"][name] = {"value": value}

    return apply


def stack_calls(plan: Plan) -> dict[str, Any]:
    """The module calls of the stack module (each env's one module call)."""
    calls: dict[str, Any] = plan["configuration"]["root_module"]["module_calls"]["stack"]["module"][
        "module_calls"
    ]
    return calls


def module_input(call: str, name: str, references: list[str]) -> Callable[[Plan], None]:
    """Point a module input of the stack at other objects (the configuration's references for that argument)."""

    def apply(plan: Plan) -> None:
        stack_calls(plan)[call]["expressions"][name] = {"references": references}

    return apply


def remove_resource(address: str) -> Callable[[Plan], None]:
    """Drop a resource from the plan, as if its block were deleted before the first apply."""

    def walk(module: dict[str, Any]) -> None:
        module["resources"] = [r for r in module.get("resources", ()) if r["address"] != address]
        for child in module.get("child_modules", ()):
            walk(child)

    def apply(plan: Plan) -> None:
        walk(plan["planned_values"]["root_module"])
        plan["resource_changes"] = [c for c in plan["resource_changes"] if c["address"] != address]

    return apply


def add_resource(module: str, type_: str, name: str, values: dict[str, Any]) -> Callable[[Plan], None]:
    """Add a resource to a module of the stack, as terraform would plan its creation."""

    def apply(plan: Plan) -> None:
        module_address = f"module.stack.module.{module}"
        address = f"{module_address}.{type_}.{name}"
        stack = next(
            c
            for c in plan["planned_values"]["root_module"]["child_modules"]
            if c["address"] == "module.stack"
        )
        for child in stack["child_modules"]:
            if child["address"] == module_address:
                child["resources"].append(
                    {
                        "address": address,
                        "mode": "managed",
                        "type": type_,
                        "name": name,
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "schema_version": 0,
                        "values": dict(values),
                        "sensitive_values": {},
                    }
                )
        plan["resource_changes"].append(
            {
                "address": address,
                "module_address": module_address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": dict(values),
                    "after_unknown": {},
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
        )

    return apply


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


NEO4J = "modules/neo4j/main.tf"
TASK = "modules/ecs_task/main.tf"
SEARCH = "modules/opensearch/main.tf"
API = "modules/ecs_service/main.tf"
ENV = "envs/staging/main.tf"
STACK = "modules/stack/main.tf"
BACKUP = "modules/backup/main.tf"
# The stack passes each data store its subnets; a mutant hands it the public ones instead.
MODULE_NETWORK = {
    "opensearch": 'module "opensearch" {\n  source = "../opensearch"\n\n  name        = local.name\n'
    "  environment = var.environment\n  network = {\n    vpc_id                   = module.vpc.vpc_id\n"
    "    private_subnet_ids       = local.private",
    "neo4j": 'module "neo4j" {\n  source = "../neo4j"\n\n  name        = "${local.name}-neo4j"\n'
    "  environment = var.environment\n  network = {\n    vpc_id                   = module.vpc.vpc_id\n"
    "    vpc_cidr                 = module.vpc.cidr_block\n    private_subnet_ids       = local.private",
}
ANCHOR = "# AWS-managed service-role policies for AWS Backup"
WIDE = {"Effect": "Allow", "Action": "*", "Resource": "*"}
SECRET_ENV = [
    {"name": "app", "image": "x", "environment": [{"name": "DB_PASSWORD", "value": "Zx9-q7Lp-22kV-mutant"}]}
]

DEFAULT_GROUP = """resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-default-closed" })
  # No ingress or egress blocks: every rule is removed.
}
"""

NACL_SSH = """resource "aws_network_acl_rule" "ssh" {
  network_acl_id = aws_vpc.this.default_network_acl_id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

"""

MUTANTS: tuple[Mutant, ...] = (
    # --- encryption -----------------------------------------------------------------------------------
    Mutant(
        "efs-unencrypted",
        "ENC",
        (Edit(NEO4J, "  encrypted        = true\n", "  encrypted        = false\n"),),
        known("module.stack.module.neo4j.aws_efs_file_system.this", "encrypted", False),
    ),
    Mutant(
        "efs-transit-off",
        "ENC",
        (
            Edit(
                TASK, '        transit_encryption = "ENABLED"\n', '        transit_encryption = "DISABLED"\n'
            ),
        ),
        known(
            "module.stack.module.neo4j.module.task.aws_ecs_task_definition.this",
            "volume.0.efs_volume_configuration.0.transit_encryption",
            "DISABLED",
        ),
    ),
    Mutant(
        "opensearch-at-rest-off",
        "ENC",
        (
            Edit(
                SEARCH,
                "  encrypt_at_rest {\n    enabled    = true",
                "  encrypt_at_rest {\n    enabled    = false",
            ),
        ),
        known(
            "module.stack.module.opensearch.aws_opensearch_domain.this", "encrypt_at_rest.0.enabled", False
        ),
    ),
    Mutant(
        "opensearch-node-to-node-off",
        "ENC",
        (
            Edit(
                SEARCH,
                "  node_to_node_encryption {\n    enabled = true",
                "  node_to_node_encryption {\n    enabled = false",
            ),
        ),
        known(
            "module.stack.module.opensearch.aws_opensearch_domain.this",
            "node_to_node_encryption.0.enabled",
            False,
        ),
    ),
    Mutant(
        "opensearch-http-allowed",
        "ENC",
        (Edit(SEARCH, "    enforce_https       = true\n", "    enforce_https       = false\n"),),
        known(
            "module.stack.module.opensearch.aws_opensearch_domain.this",
            "domain_endpoint_options.0.enforce_https",
            False,
        ),
    ),
    Mutant(
        "opensearch-tls-1-0",
        "ENC",
        (
            Edit(
                SEARCH,
                "    tls_security_policy = var.tls_security_policy\n",
                '    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"\n',
            ),
        ),
        known(
            "module.stack.module.opensearch.aws_opensearch_domain.this",
            "domain_endpoint_options.0.tls_security_policy",
            "Policy-Min-TLS-1-0-2019-07",
        ),
    ),
    Mutant(
        "s3-sse-s3-only",
        "ENC",
        (
            Edit(
                "modules/s3_bucket/main.tf",
                'sse_algorithm = var.log_delivery_sse_s3 ? "AES256" : "aws:kms"',
                'sse_algorithm = "AES256"',
            ),
        ),
        known(
            "module.stack.module.backup_bucket.aws_s3_bucket_server_side_encryption_configuration.this",
            "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
            "AES256",
        ),
    ),
    Mutant(
        "secret-aws-managed-key",
        "ENC",
        (Edit("modules/secrets/main.tf", "  kms_key_id              = var.kms_key_arn\n", ""),),
        known('module.stack.module.secrets.aws_secretsmanager_secret.this["langfuse"]', "kms_key_id", None),
    ),
    Mutant(
        "log-group-unencrypted",
        "ENC",
        (Edit(API, "  kms_key_id        = var.log.kms_key_arn\n", ""),),
        known("module.stack.module.api.aws_cloudwatch_log_group.this", "kms_key_id", None),
    ),
    Mutant(
        "ecr-aes256",
        "ENC",
        (
            Edit(
                "modules/ecr/main.tf",
                '    encryption_type = "KMS"\n    kms_key         = var.kms_key_arn\n',
                '    encryption_type = "AES256"\n',
            ),
        ),
        known(
            "module.stack.module.ecr.aws_ecr_repository.this",
            "encryption_configuration.0.encryption_type",
            "AES256",
        ),
    ),
    Mutant(
        "alb-legacy-tls",
        "ENC",
        (Edit(API, '"ELBSecurityPolicy-TLS13-1-2-2021-06"', '"ELBSecurityPolicy-2016-08"'),),
        known("module.stack.module.api.aws_lb_listener.https", "ssl_policy", "ELBSecurityPolicy-2016-08"),
    ),
    Mutant(
        "sns-unencrypted",
        "ENC",
        (Edit("modules/alarms/main.tf", "  kms_master_key_id = var.kms_key_arn\n", ""),),
        known("module.stack.module.alarms.aws_sns_topic.this", "kms_master_key_id", None),
    ),
    # --- network --------------------------------------------------------------------------------------
    Mutant(
        "neo4j-bolt-from-world",
        "NET",
        (
            Edit(
                NEO4J,
                "    to_port         = 7687\n    security_groups = [var.network.client_security_group_id]\n",
                '    to_port         = 7687\n    cidr_blocks     = ["0.0.0.0/0"]\n',
            ),
        ),
        known(
            "module.stack.module.neo4j.aws_security_group.this",
            "ingress",
            [
                {
                    "cidr_blocks": ["0.0.0.0/0"],
                    "description": "Neo4j Bolt",
                    "from_port": 7687,
                    "to_port": 7687,
                    "protocol": "tcp",
                    "ipv6_cidr_blocks": [],
                    "prefix_list_ids": [],
                    "security_groups": [],
                    "self": False,
                }
            ],
        ),
    ),
    Mutant(
        "opensearch-https-from-ipv6-world",
        "NET",
        (
            Edit(
                SEARCH,
                "    to_port         = 443\n    security_groups = [var.network.client_security_group_id]\n",
                '    to_port          = 443\n    ipv6_cidr_blocks = ["::/0"]\n',
            ),
        ),
        known(
            "module.stack.module.opensearch.aws_security_group.this",
            "ingress",
            [
                {
                    "cidr_blocks": [],
                    "description": "HTTPS",
                    "from_port": 443,
                    "to_port": 443,
                    "protocol": "tcp",
                    "ipv6_cidr_blocks": ["::/0"],
                    "prefix_list_ids": [],
                    "security_groups": [],
                    "self": False,
                }
            ],
        ),
    ),
    Mutant(
        "api-task-public-ip",
        "NET",
        (Edit(API, "    assign_public_ip = false\n", "    assign_public_ip = true\n"),),
        known(
            "module.stack.module.api.aws_ecs_service.this", "network_configuration.0.assign_public_ip", True
        ),
    ),
    Mutant(
        "network-acl-ssh-from-world",
        "NET",
        (
            Edit(
                "modules/vpc/main.tf",
                'resource "aws_internet_gateway" "this" {\n',
                NACL_SSH + 'resource "aws_internet_gateway" "this" {\n',
            ),
        ),
        add_resource(
            "vpc",
            "aws_network_acl_rule",
            "ssh",
            {
                "network_acl_id": "acl-0123456789abcdef0",
                "rule_number": 90,
                "egress": False,
                "protocol": "tcp",
                "rule_action": "allow",
                "cidr_block": "0.0.0.0/0",
                "from_port": 22,
                "to_port": 22,
            },
        ),
    ),
    Mutant(
        "default-security-group-unmanaged",
        "NET",
        (Edit("modules/vpc/main.tf", DEFAULT_GROUP, ""),),
        remove_resource("module.stack.module.vpc.aws_default_security_group.this"),
    ),
    Mutant(
        "public-subnet-auto-ip",
        "NET",
        (
            Edit(
                "modules/vpc/main.tf",
                "  map_public_ip_on_launch = false\n",
                "  map_public_ip_on_launch = true\n",
            ),
        ),
        known('module.stack.module.vpc.aws_subnet.public["ca-central-1a"]', "map_public_ip_on_launch", True),
    ),
    Mutant(
        "neo4j-in-public-subnets",
        "NET",
        (
            Edit(
                STACK,
                MODULE_NETWORK["neo4j"],
                MODULE_NETWORK["neo4j"].replace("local.private", "module.vpc.public_subnet_ids"),
            ),
        ),
        module_input("neo4j", "network", ["module.vpc.vpc_id", "module.vpc.public_subnet_ids", "module.vpc"]),
    ),
    Mutant(
        "opensearch-in-public-subnets",
        "NET",
        (
            Edit(
                STACK,
                MODULE_NETWORK["opensearch"],
                MODULE_NETWORK["opensearch"].replace("local.private", "module.vpc.public_subnet_ids"),
            ),
        ),
        module_input(
            "opensearch", "network", ["module.vpc.vpc_id", "module.vpc.public_subnet_ids", "module.vpc"]
        ),
    ),
    Mutant(
        "default-region-from-variable-default",
        "RES",
        (Edit("envs/staging/variables.tf", 'default     = "ca-central-1"', 'default     = "us-east-1"'),),
        variable("region", "us-east-1"),
    ),
    Mutant(
        "default-region-literal",
        "RES",
        (Edit(ENV, "  region = var.region\n", '  region = "eu-west-1"\n'),),
        provider_region("aws", "eu-west-1"),
    ),
    Mutant(
        "replica-alias-outside-canada",
        "RES",
        (
            Edit(
                ENV,
                '  alias  = "replica"\n  region = "ca-west-1"\n',
                '  alias  = "replica"\n  region = "us-west-2"\n',
            ),
        ),
        provider_region("aws.replica", "us-west-2"),
    ),
    # --- least privilege ------------------------------------------------------------------------------
    Mutant(
        "jsonencode-wildcard-action",
        "IAM",
        (
            Edit(
                API,
                '          Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]\n',
                '          Action   = ["*"]\n',
            ),
        ),
        known(
            'module.stack.module.api.module.task.aws_iam_role_policy.execution["start-task"]',
            "policy",
            policy(WIDE),
        ),
    ),
    Mutant(
        "managed-admin-attachment",
        "IAM",
        (
            Edit(
                "modules/backup/main.tf",
                '"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"',
                '"arn:aws:iam::aws:policy/AdministratorAccess"',
            ),
        ),
        known(
            "module.stack.module.backup.aws_iam_role_policy_attachment.backup",
            "policy_arn",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
    ),
    Mutant(
        "heredoc-service-wildcard",
        "IAM",
        (
            Edit(
                BACKUP,
                ANCHOR,
                'resource "aws_iam_role_policy" "mutant" {\n  role   = aws_iam_role.this.id\n  policy = <<EOF\n'
                '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'
                "EOF\n}\n\n" + ANCHOR,
            ),
        ),
        add_resource(
            "backup",
            "aws_iam_role_policy",
            "mutant",
            {"name": "mutant", "policy": policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})},
        ),
    ),
    Mutant(
        "policy-document-wildcard",
        "IAM",
        (
            Edit(
                BACKUP,
                ANCHOR,
                'data "aws_iam_policy_document" "mutant" {\n  statement {\n    actions   = ["*"]\n'
                '    resources = ["*"]\n  }\n}\n\nresource "aws_iam_role_policy" "mutant" {\n'
                "  role   = aws_iam_role.this.id\n  policy = data.aws_iam_policy_document.mutant.json\n}\n\n"
                + ANCHOR,
            ),
        ),
        add_resource("backup", "aws_iam_role_policy", "mutant", {"name": "mutant", "policy": policy(WIDE)}),
    ),
    Mutant(
        "trust-any-principal",
        "IAM",
        (Edit(BACKUP, 'Principal = { Service = "backup.amazonaws.com" }', 'Principal = { AWS = "*" }'),),
        known(
            "module.stack.module.backup.aws_iam_role.this",
            "assume_role_policy",
            policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
        ),
    ),
    # --- secrets --------------------------------------------------------------------------------------
    Mutant(
        "secret-in-task-environment",
        "SEC",
        (
            Edit(
                STACK,
                "    APP_ENV                           = var.environment\n",
                '    APP_ENV                           = var.environment\n    DB_PASSWORD = "Zx9-q7Lp-22kV-mutant"\n',
            ),
        ),
        known(
            "module.stack.module.api.module.task.aws_ecs_task_definition.this",
            "container_definitions",
            json.dumps(SECRET_ENV),
        ),
    ),
    # --- logging and backup ---------------------------------------------------------------------------
    Mutant(
        "trail-single-region",
        "LOG",
        (
            Edit(
                "modules/cloudtrail/main.tf",
                "  is_multi_region_trail         = true\n",
                "  is_multi_region_trail         = false\n",
            ),
        ),
        known("module.stack.module.cloudtrail.aws_cloudtrail.this", "is_multi_region_trail", False),
    ),
    Mutant(
        "s3-versioning-suspended",
        "BAK",
        (
            Edit(
                "modules/s3_bucket/main.tf",
                '  versioning_configuration {\n    status = "Enabled"',
                '  versioning_configuration {\n    status = "Suspended"',
            ),
        ),
        known(
            "module.stack.module.backup_bucket.aws_s3_bucket_versioning.this",
            "versioning_configuration.0.status",
            "Suspended",
        ),
    ),
    Mutant(
        "secret-deleted-immediately",
        "BAK",
        (
            Edit(
                "modules/secrets/main.tf",
                "  recovery_window_in_days = var.recovery_window_in_days\n",
                "  recovery_window_in_days = 0\n",
            ),
        ),
        known(
            'module.stack.module.secrets.aws_secretsmanager_secret.this["langfuse"]',
            "recovery_window_in_days",
            0,
        ),
    ),
)
