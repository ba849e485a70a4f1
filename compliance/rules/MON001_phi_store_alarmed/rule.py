"""Every PHI data store (EFS file system, OpenSearch domain, S3 data bucket) is watched by a metric alarm
whose dimensions name it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.buckets import non_data_reason
from compliance.analysis.references import names
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown

# The CloudWatch dimension that names each kind of store, and the store's attribute it holds.
KEYS = {
    "aws_efs_file_system": ("FileSystemId", ("id",)),
    "aws_opensearch_domain": ("DomainName", ("domain_name",)),
    "aws_s3_bucket": ("BucketName", ("bucket",)),
}


def _names(value: Any, store: Resource, model: Model, attributes: tuple[str, ...]) -> bool | None:
    """Whether a dimension value names the store. A live scan links a literal to whichever applied resource
    has it as id (a backup vault named like the domain), on both sides: the same link, or a link to a
    resource whose id is the store's name, names it too."""
    named = names(value, store, model, attributes)
    if named is False and isinstance(value, Unknown):
        own = [store.values.get(a) for a in attributes]
        ids = {r.values.get("id") for ref in value.refs for r in model.resolve(ref)}
        return value in own or any(isinstance(o, str) and o in ids for o in own)
    return named


def _dimensions(alarm: Resource) -> list[Any]:
    """The alarm's dimension maps: its own and those of its metric queries."""
    dimensions = [alarm.values.get("dimensions")]
    queries = alarm.values.get("metric_query")
    for query in queries if isinstance(queries, list) else ():
        for metric in query.get("metric") or () if isinstance(query, Mapping) else ():
            dimensions.append(metric.get("dimensions") if isinstance(metric, Mapping) else None)
    return dimensions


def _candidates(model: Model, dimension: str) -> tuple[Resource, ...]:
    """The alarms that may name a store by `dimension` (indexed once per model: the others watch none)."""

    def build() -> tuple[Resource, ...]:
        return tuple(
            alarm
            for alarm in model.of_type("aws_cloudwatch_metric_alarm")
            if isinstance(alarm.values.get("metric_query"), Unknown)
            or any(
                isinstance(found, Unknown) or (isinstance(found, Mapping) and dimension in found)
                for found in _dimensions(alarm)
            )
        )

    return model.memo(("MON001", dimension), build)


def _watches(alarm: Resource, store: Resource, model: Model) -> bool | None:
    """Whether the alarm's dimensions (or those of its metric queries) name the store; None: may."""
    dimensions = _dimensions(alarm)
    dimension, attributes = KEYS[store.type]
    doubtful = isinstance(alarm.values.get("metric_query"), Unknown)
    for found in dimensions:
        if isinstance(found, Unknown):
            # A whole map known only after apply: it watches the store if it refers to it.
            named = _names(found, store, model, attributes)
            if named:
                return True
            doubtful |= named is None
        elif isinstance(found, Mapping) and dimension in found:
            named = _names(found[dimension], store, model, attributes)
            if named:
                return True
            doubtful |= named is None
    return None if doubtful else False


def check(resource: Resource, model: Model) -> Result | None:
    if resource.type == "aws_s3_bucket" and non_data_reason(resource, model):
        return None
    doubtful: list[str] = []
    for alarm in _candidates(model, KEYS[resource.type][0]):
        watched = _watches(alarm, resource, model)
        if watched:
            return passed(f"watched by {alarm.address}")
        if watched is None:
            doubtful.append(alarm.address)
    if doubtful:
        return unknown(f"dimensions known only after apply may name it: {', '.join(doubtful)}")
    return failed("no metric alarm has a dimension naming it: its failure or loss would go unnoticed")


RULE = Rule(
    id="MON001",
    title="PHI data stores are watched by a CloudWatch metric alarm",
    severity=Severity.MEDIUM,
    types=tuple(KEYS),
    rationale=(
        "Neo4j's EFS volume, the OpenSearch domain and the data buckets hold PHI. A store that fills up, "
        "goes red or is emptied without an alarm is found by users or auditors, after data is lost or "
        "unavailable; HIPAA's contingency and activity-review safeguards expect it noticed."
    ),
    remediation="Add an aws_cloudwatch_metric_alarm whose dimensions name the store (FileSystemId = "
    "aws_efs_file_system.x.id; DomainName = aws_opensearch_domain.x.domain_name; BucketName = "
    "aws_s3_bucket.x.id), with alarm_actions to a subscribed SNS topic.",
    controls={"HIPAA": ("164.308(a)(1)(ii)(D)", "164.308(a)(7)(ii)(B)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
)
