"""OpenSearch and Elasticsearch domains publish audit, index-slow and search-slow logs."""

from __future__ import annotations

from compliance.analysis.values import blocks, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown

REQUIRED = ("AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS")


def check(resource: Resource, model: Model) -> Result:
    options = blocks(resource.values, "log_publishing_options")
    if isinstance(options, Unknown):
        return unknown("log_publishing_options is not known before apply")
    enabled: set[str] = set()
    doubtful: set[str] = set()
    for option in options:
        kind = option.get("log_type")
        on = option.get("enabled", True)
        if isinstance(kind, Unknown):
            doubtful.update(REQUIRED)
        elif isinstance(on, Unknown):
            doubtful.add(str(kind).upper())
        elif on is None or truth(on) is Status.PASS:
            enabled.add(str(kind).upper())
    missing = [kind for kind in REQUIRED if kind not in enabled and kind not in doubtful]
    if missing:
        return failed(f"log_publishing_options lacks enabled {', '.join(missing)}")
    if doubtful - enabled:
        return unknown(
            f"{', '.join(sorted(doubtful - enabled))} in log_publishing_options is not known before apply"
        )
    return passed("audit, index-slow and search-slow logs are published")


RULE = Rule(
    id="LOG006",
    title="Search domains publish audit and slow logs",
    severity=Severity.MEDIUM,
    types=("aws_opensearch_domain", "aws_elasticsearch_domain"),
    rationale=(
        "The search domain indexes clinical notes. Audit logs record who queried or changed which index; "
        "slow logs reveal bulk extraction through expensive queries. Audit logs need fine-grained access "
        "control (advanced_security_options) to be enabled."
    ),
    remediation="Add log_publishing_options blocks for AUDIT_LOGS, INDEX_SLOW_LOGS and SEARCH_SLOW_LOGS with "
    "cloudwatch_log_group_arn set and enabled = true.",
    controls={"HIPAA": ("164.312(b)", "164.308(a)(1)(ii)(D)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html",
)
