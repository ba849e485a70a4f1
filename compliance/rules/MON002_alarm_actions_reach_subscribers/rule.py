"""Metric alarms notify someone: alarm_actions are set and enabled, and an SNS topic they publish to (when it
is in the configuration) has at least one subscription."""

from __future__ import annotations

from compliance.analysis.references import items, linked, targets
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _silent_topics(actions: list[object], model: Model) -> tuple[list[str], list[str]]:
    """Topics among the actions without a subscription, and those whose subscriptions are unknown."""
    silent: list[str] = []
    doubtful: list[str] = []
    for topic in targets(actions, model, "aws_sns_topic"):
        found, maybe = linked(
            topic,
            model,
            ("aws_sns_topic_subscription",),
            "topic_arn",
            (topic.values.get("arn"), topic.values.get("id")),
        )
        if not found:
            (doubtful if maybe else silent).append(topic.address)
    return silent, doubtful


def check(resource: Resource, model: Model) -> Result:
    enabled = resource.values.get("actions_enabled")
    if enabled is False:
        return failed("actions_enabled is false: the alarm changes state and tells no one")
    actions = items(resource.values.get("alarm_actions"))
    if isinstance(actions, Unknown):
        if actions.refs:
            actions = [actions]
        else:
            return unknown("alarm_actions is not known before apply")
    if not actions:
        return failed("alarm_actions is empty: the alarm changes state and tells no one")
    silent, doubtful = _silent_topics(actions, model)
    if silent:
        return failed(f"it publishes to {', '.join(silent)}, which has no subscription")
    if isinstance(enabled, Unknown) or doubtful:
        return unknown("actions_enabled or a topic's subscriptions are not known before apply")
    return passed(f"{len(actions)} alarm action(s); every topic in the configuration has a subscriber")


RULE = Rule(
    id="MON002",
    title="Metric alarms notify a subscribed destination",
    severity=Severity.MEDIUM,
    types=("aws_cloudwatch_metric_alarm",),
    rationale=(
        "An alarm without actions, or one that publishes to a topic nobody subscribes to, detects an "
        "outage or a data store filling up and tells no one: incident response starts when a user "
        "complains instead of when the metric crosses its threshold."
    ),
    remediation="Set alarm_actions (and ok_actions) to an SNS topic with at least one "
    "aws_sns_topic_subscription (email, or an HTTPS relay to the on-call chat); leave actions_enabled on.",
    controls={"HIPAA": ("164.308(a)(1)(ii)(D)",), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html",
)
