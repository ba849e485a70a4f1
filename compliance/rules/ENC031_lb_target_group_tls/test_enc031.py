"""ENC031: cases its fixtures cannot show (built in memory with the rule kit)."""

from __future__ import annotations

from compliance.model import Model, Status
from compliance.rules.ENC031_lb_target_group_tls.rule import RULE as ENC031
from compliance.rules.kit import ref, resource, status


def test_unknown_protocol_and_gateway_encapsulation() -> None:
    assert status(ENC031, resource("aws_lb_target_group.t", {"protocol": ref("var.p")})) is Status.UNKNOWN
    geneve = resource("aws_lb_target_group.g", {"protocol": "GENEVE", "target_type": "instance"})
    assert ENC031.check(geneve, Model((geneve,))) is None


def test_a_missing_protocol_fails_closed() -> None:
    assert status(ENC031, resource("aws_lb_target_group.t", {"target_type": "ip"})) is Status.FAIL
