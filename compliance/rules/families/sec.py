"""SEC rules (secret handling), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.SEC001_secret_rotation.rule import RULE as SEC001
from compliance.rules.SEC002_ecs_environment_no_secrets.rule import RULE as SEC002
from compliance.rules.SEC003_outputs_not_secret.rule import RULE as SEC003
from compliance.rules.SEC004_variables_no_secret_defaults.rule import RULE as SEC004
from compliance.rules.SEC005_provider_no_static_keys.rule import RULE as SEC005
from compliance.rules.SEC006_secret_values_not_in_state.rule import RULE as SEC006
from compliance.rules.SEC007_ssm_secret_securestring.rule import RULE as SEC007

RULES: tuple[Rule, ...] = (SEC001, SEC002, SEC003, SEC004, SEC005, SEC006, SEC007)
