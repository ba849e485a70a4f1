"""CloudWatch log groups expire their logs: after at least 365 days in prod, and never 'never'."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis.values import get
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

MINIMUM_PROD_DAYS = 365
ENV_KEYS = ("environment", "env", "stage")
PROD_WORD = re.compile(r"(^|[^a-z])prod(uction)?([^a-z]|$)")


def _is_prod(value: Any) -> bool | None:
    if isinstance(value, Unknown):
        return None
    return isinstance(value, str) and bool(PROD_WORD.search(value.lower()))


def _tag_signals(tags: Any) -> Iterator[bool | None]:
    if isinstance(tags, Unknown):
        yield None
    elif isinstance(tags, Mapping):
        yield from (_is_prod(v) for k, v in tags.items() if str(k).lower() in ENV_KEYS)


def prod_signals(resource: Resource, model: Model) -> Iterator[bool | None]:
    """Whether this is prod, by each of: tags, the provider's default_tags, the name, and a module
    variable named environment/env. A signal is None when it cannot be read before apply."""
    yield from _tag_signals(resource.values.get("tags"))
    merged = resource.values.get("tags_all")
    if not isinstance(merged, Unknown):  # computed from tags and default_tags, both read here
        yield from _tag_signals(merged)
    provider = model.by_address.get(resource.provider)
    if provider is not None:
        yield from _tag_signals(get(provider.values, "default_tags.tags"))
    yield _is_prod(resource.values.get("name"))
    prefix = f"{resource.module}." if resource.module else ""
    for key in ENV_KEYS:
        variable = model.by_address.get(f"{prefix}var.{key}")
        if variable is not None:
            yield _is_prod(variable.values.get("value", variable.values.get("default")))


def environment(resource: Resource, model: Model) -> bool | None:
    """True when any signal says prod, None when none does but one is unknown, else False."""
    signals = list(prod_signals(resource, model))
    if any(signals):
        return True
    return None if None in signals else False


def check(resource: Resource, model: Model) -> Result:
    days = resource.values.get("retention_in_days")
    if isinstance(days, Unknown):
        return unknown("retention_in_days is not known before apply")
    if not days:
        return failed("retention_in_days is unset or 0: logs (and any PHI in them) are kept forever")
    if int(days) >= MINIMUM_PROD_DAYS:
        return passed(f"retention_in_days is {days}")
    prod = environment(resource, model)
    if prod is None:
        return unknown(f"retention_in_days is {days}; whether this is prod is not known before apply")
    if prod:
        return failed(f"retention_in_days is {days} in prod: at least {MINIMUM_PROD_DAYS} required")
    return passed(f"retention_in_days is {days} (not prod)")


RULE = Rule(
    id="LOG004",
    title="CloudWatch log groups keep logs for a set period, at least 365 days in prod",
    severity=Severity.MEDIUM,
    types=("aws_cloudwatch_log_group",),
    rationale=(
        "Audit logs must outlive the investigations that need them (HIPAA documentation retention), so prod "
        "keeps at least 365 days. A log group that never expires keeps any PHI in its logs forever, "
        "against PIPEDA 4.5.3, so 0/unset fails everywhere. Prod is recognised by an Environment/Env/Stage "
        "tag (resource or provider default_tags), a 'prod' word in the name, or a module variable "
        "environment/env whose value is prod; any one suffices."
    ),
    remediation="Set retention_in_days to 365 or more (e.g. 400 or 731) in prod, and to a finite value elsewhere.",
    controls={"HIPAA": ("164.312(b)", "164.316(b)(2)(i)"), "PIPEDA": ("4.5.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
)
