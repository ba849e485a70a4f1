"""IAM rules (least privilege), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.IAM001_policy_no_wildcard_actions.rule import RULE as IAM001
from compliance.rules.IAM002_policy_resource_wildcard_scoped.rule import RULE as IAM002
from compliance.rules.IAM003_no_broad_managed_policies.rule import RULE as IAM003
from compliance.rules.IAM004_passrole_scoped.rule import RULE as IAM004
from compliance.rules.IAM005_role_trust_restricted.rule import RULE as IAM005
from compliance.rules.IAM006_resource_policy_not_public.rule import RULE as IAM006
from compliance.rules.IAM007_users_without_inline_policies_or_keys.rule import RULE as IAM007
from compliance.rules.IAM008_passrole_passed_to_service.rule import RULE as IAM008
from compliance.rules.IAM009_prod_role_not_from_pull_requests.rule import RULE as IAM009

RULES: tuple[Rule, ...] = (IAM001, IAM002, IAM003, IAM004, IAM005, IAM006, IAM007, IAM008, IAM009)
