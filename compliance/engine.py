"""run(rules, model) -> findings. Pure: no I/O, no globals."""

from __future__ import annotations

from collections.abc import Iterable

from compliance.model import Finding, Model, Resource, Result, Rule, Status


def run(rules: Iterable[Rule], model: Model) -> tuple[Finding, ...]:
    """Evaluate every rule over the resources of its types, in a stable order.

    An exception inside a rule fails closed: it becomes a failing finding that names the error.
    """
    findings: list[Finding] = []
    for rule in rules:
        for resource in model.of_type(*rule.types):
            result = _evaluate(rule, resource, model)
            if result is not None:
                findings.append(_finding(rule, resource, result))
    findings.sort(key=lambda f: (f.resource, f.rule_id, f.origin.value))
    return tuple(findings)


def _evaluate(rule: Rule, resource: Resource, model: Model) -> Result | None:
    try:
        return rule.check(resource, model)
    except Exception as error:  # fail closed on any rule bug
        return Result(Status.FAIL, f"rule error: {type(error).__name__}: {error}")


def _finding(rule: Rule, resource: Resource, result: Result) -> Finding:
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        status=result.status,
        severity=rule.severity,
        resource=resource.address,
        source=resource.source,
        controls=rule.controls,
        message=result.message,
        remediation=rule.remediation,
        origin=resource.origin,
        resource_type=resource.type,
        action=resource.action,
    )
