"""LOG rules (audit logging), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.LOG001_cloudtrail_multi_region.rule import RULE as LOG001
from compliance.rules.LOG002_cloudtrail_log_file_validation.rule import RULE as LOG002
from compliance.rules.LOG003_cloudtrail_kms.rule import RULE as LOG003
from compliance.rules.LOG004_log_group_retention.rule import RULE as LOG004
from compliance.rules.LOG005_vpc_flow_logs.rule import RULE as LOG005
from compliance.rules.LOG006_search_domain_logs.rule import RULE as LOG006
from compliance.rules.LOG007_load_balancer_access_logs.rule import RULE as LOG007

RULES: tuple[Rule, ...] = (LOG001, LOG002, LOG003, LOG004, LOG005, LOG006, LOG007)
