"""ENC013: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from compliance.model import Status
from compliance.rules.ENC013_elb_listener_tls.rule import RULE as ENC013
from compliance.rules.kit import ref, resource, status


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"Protocol-TLSv1.2": "true", "Protocol-TLSv1": "false"}, Status.PASS),
        ({"Protocol-TLSv1.2": "true", "Protocol-TLSv1.1": "true"}, Status.FAIL),
        ({"Protocol-TLSv1": "false"}, Status.FAIL),
        ({"Reference-Security-Policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}, Status.PASS),
    ],
)
def test_classic_elb_negotiation_attributes(attributes: Mapping[str, str], expected: Status) -> None:
    elb = resource(
        "aws_elb.web",
        {"name": "web", "listener": [{"lb_port": 443, "lb_protocol": "HTTPS", "instance_port": 80}]},
    )
    policy = resource(
        "aws_lb_ssl_negotiation_policy.p",
        {
            "load_balancer": "web",
            "lb_port": 443,
            "attribute": [{"name": name, "value": value} for name, value in attributes.items()],
        },
    )
    assert status(ENC013, elb, policy) is expected


def test_negotiation_policy_on_another_port_does_not_count() -> None:
    elb = resource("aws_elb.web", {"name": "web", "listener": [{"lb_port": 443, "lb_protocol": "ssl"}]})
    policy = resource(
        "aws_lb_ssl_negotiation_policy.p",
        {
            "load_balancer": ref("aws_elb.web"),
            "lb_port": 8443,
            "attribute": [{"name": "Protocol-TLSv1.2", "value": "true"}],
        },
    )
    assert status(ENC013, elb, policy) is Status.FAIL
