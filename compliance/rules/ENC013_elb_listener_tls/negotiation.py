"""ENC013's classic ELB knowledge: which SSL negotiation policies apply to a listener port."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis import references
from compliance.analysis.references import linked
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Unknown


def classic_negotiation(elb: Resource, port: Any, model: Model) -> list[tuple[str, dict[str, Any]]]:
    """(where, {attribute: value}) of the SSL negotiation policies on a classic ELB listener port:
    aws_lb_ssl_negotiation_policy, or aws_load_balancer_policy assigned by aws_load_balancer_listener_policy."""
    names = (elb.values.get("name"),)
    found: list[tuple[str, dict[str, Any]]] = []
    direct, _ = linked(elb, model, ("aws_lb_ssl_negotiation_policy",), "load_balancer", names)
    found += [
        (p.address, _attributes(p.values, "attribute")) for p in direct if p.values.get("lb_port") == port
    ]
    assigned, _ = linked(elb, model, ("aws_load_balancer_listener_policy",), "load_balancer_name", names)
    for listener_policy in assigned:
        if listener_policy.values.get("load_balancer_port") != port:
            continue
        for policy in _named_policies(listener_policy.values.get("policy_names"), model):
            if policy.values.get("policy_type_name") == "SSLNegotiationPolicyType":
                found.append((policy.address, _attributes(policy.values, "policy_attribute")))
    return found


def _named_policies(value: Any, model: Model) -> Iterator[Resource]:
    items = value if isinstance(value, list | tuple) else [value]
    for policy in model.of_type("aws_load_balancer_policy"):
        if any(references.names(item, policy, model, ("policy_name",)) for item in items):
            yield policy


def _attributes(values: Mapping[str, Any], block: str) -> dict[str, Any]:
    found = blocks(values, block)
    return {} if isinstance(found, Unknown) else {str(a.get("name")): a.get("value") for a in found}
