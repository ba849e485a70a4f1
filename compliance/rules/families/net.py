"""NET rules (network exposure and private placement), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.NET001_subnet_no_public_ip.rule import RULE as NET001
from compliance.rules.NET002_ecs_no_public_ip.rule import RULE as NET002
from compliance.rules.NET003_ecs_private_subnets.rule import RULE as NET003
from compliance.rules.NET004_search_domain_in_private_vpc.rule import RULE as NET004
from compliance.rules.NET005_efs_mount_target_private.rule import RULE as NET005
from compliance.rules.NET006_neo4j_service_private.rule import RULE as NET006
from compliance.rules.NET007_db_instance_private.rule import RULE as NET007
from compliance.rules.NET008_db_cluster_private.rule import RULE as NET008
from compliance.rules.NET009_eks_endpoint_private.rule import RULE as NET009
from compliance.rules.NET010_no_world_ingress.rule import RULE as NET010
from compliance.rules.NET011_datastore_ports_from_vpc.rule import RULE as NET011
from compliance.rules.NET012_default_security_group_closed.rule import RULE as NET012

RULES: tuple[Rule, ...] = (
    NET001,
    NET002,
    NET003,
    NET004,
    NET005,
    NET006,
    NET007,
    NET008,
    NET009,
    NET010,
    NET011,
    NET012,
)
