"""ENC012: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Status, Unknown
from compliance.rules.ENC012_lb_listener_tls.rule import RULE as ENC012
from compliance.rules.kit import resource, status


def test_http_listener_with_anonymous_listener_rule_is_unknown() -> None:
    listener = resource(
        "aws_lb_listener.http",
        {
            "protocol": "HTTP",
            "port": 80,
            "load_balancer_arn": "arn:aws:elasticloadbalancing:ca-central-1:111122223333:loadbalancer/app/x/1",
            "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS"}]}],
        },
    )
    rule = resource("aws_lb_listener_rule.r", {"listener_arn": Unknown(), "action": [{"type": "forward"}]})
    assert status(ENC012, listener, rule) is Status.UNKNOWN


def test_listener_without_protocol_on_an_unscanned_balancer_is_unknown() -> None:
    listener = resource("aws_lb_listener.x", {"port": 80, "load_balancer_arn": "arn:aws:..."})
    assert status(ENC012, listener) is Status.UNKNOWN
