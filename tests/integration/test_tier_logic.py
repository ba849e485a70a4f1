"""The tier's pure parts, without an emulator: covered subset, drift classification, plan-versus-live."""

from __future__ import annotations

from compliance.model import Finding, Origin, Severity, Source, Status
from emulator.localstack import not_covered_service
from tests.integration.coverage import not_covered
from tests.integration.tier import (
    Change,
    Quirk,
    changed_paths,
    classify_drift,
    compare_findings,
    config_address,
    covered_subset,
    graph_dependencies,
    plan_changes,
)

DOT = """digraph G {
  "aws_kms_key.k" [label="aws_kms_key.k"];
  "module.m.aws_efs_file_system.this" [label="aws_efs_file_system.this"];
  "aws_s3_bucket.b" [label="aws_s3_bucket.b"];
  "aws_iam_role_policy.p" [label="aws_iam_role_policy.p"];
  "aws_s3_bucket.b" -> "module.m.aws_efs_file_system.this";
  "module.m.aws_efs_file_system.this" -> "aws_kms_key.k";
  "aws_iam_role_policy.p" -> "aws_kms_key.k";
}"""


def test_graph_dependencies_are_transitive() -> None:
    deps = graph_dependencies(DOT)
    assert deps["aws_s3_bucket.b"] == {"module.m.aws_efs_file_system.this", "aws_kms_key.k"}
    assert deps["aws_kms_key.k"] == set()


def test_covered_subset_leaves_out_uncovered_types_and_their_dependants() -> None:
    planned = [
        "aws_kms_key.k",
        "module.m.aws_efs_file_system.this",
        'aws_s3_bucket.b["x"]',
        "aws_iam_role_policy.p",
    ]
    subset = covered_subset(planned, graph_dependencies(DOT), not_covered("localstack"))
    assert subset.targets == ("aws_iam_role_policy.p", "aws_kms_key.k")
    assert "efs is not in" in subset.excluded["module.m.aws_efs_file_system.this"]
    assert "depends on module.m.aws_efs_file_system.this" in subset.excluded['aws_s3_bucket.b["x"]']


def test_not_covered_services() -> None:
    assert not_covered_service("aws_ecs_service") == "ecs"
    assert not_covered_service("aws_lb") == "elbv2"
    assert not_covered_service("aws_lb_listener") == "elbv2"
    assert not_covered_service("aws_cloudtrail") == "cloudtrail"
    assert not_covered_service("aws_lambda_function") is None
    assert not_covered_service("aws_s3_bucket") is None
    assert not_covered("moto")("aws_backup_selection") is not None
    assert not_covered("moto")("aws_s3_bucket") is None
    assert config_address('module.a["k"].aws_b.c[0]') == "module.a.aws_b.c"


def test_changed_paths_ignore_empty_equivalents_and_see_unknowns() -> None:
    before = {"a": 1, "b": [], "c": {"d": "x"}, "e": None}
    after = {"a": 2, "b": None, "c": {"d": "x"}, "e": None}
    assert changed_paths(before, after, {}) == ["a"]
    assert changed_paths({"x": "1"}, {"x": None}, {"x": True}) == ["x"]


def _plan(*changes: tuple[str, list[str], dict[str, object], dict[str, object]]) -> dict[str, object]:
    return {
        "resource_changes": [
            {
                "address": a,
                "mode": "managed",
                "change": {"actions": act, "before": b, "after": af, "after_unknown": {}},
            }
            for a, act, b, af in changes
        ]
    }


def test_drift_is_real_unless_every_changed_attribute_is_a_listed_quirk() -> None:
    plan = _plan(
        ("aws_vpc.a", ["no-op"], {}, {}),
        (
            "aws_vpc_security_group_ingress_rule.r",
            ["update"],
            {"referenced_security_group_id": "1/sg-1"},
            {"referenced_security_group_id": "sg-1"},
        ),
        ("aws_security_group.s", ["update"], {"description": "a"}, {"description": "b"}),
        ("aws_ecs_service.x", ["delete", "create"], {}, {}),
    )
    quirks = (
        Quirk(
            ("moto",),
            "*aws_vpc_security_group_ingress_rule.*",
            "referenced_security_group_id",
            "account prefix",
        ),
    )
    drift = classify_drift(plan_changes(plan), "moto", quirks)
    assert [c.address for c in drift.real] == ["aws_security_group.s", "aws_ecs_service.x"]
    assert [(c.address, why) for c, why in drift.explained] == [
        ("aws_vpc_security_group_ingress_rule.r", "account prefix")
    ]
    other_backend = classify_drift(plan_changes(plan), "localstack", quirks)
    assert len(other_backend.real) == 3
    assert Change("a", ("update",), ("x",)).attributes == ("x",)


def _finding(rule: str, resource: str, status: Status, origin: Origin) -> Finding:
    return Finding(rule, "t", status, Severity.HIGH, resource, Source("f"), {}, f"{status.value}", "", origin)


def test_agreement_compares_both_ways_and_keeps_explanations_visible() -> None:
    plan = [
        _finding("ENC001", "a", Status.PASS, Origin.PLAN),
        _finding("ENC002", "a", Status.PASS, Origin.PLAN),
        _finding("NET001", "b", Status.UNKNOWN, Origin.PLAN),
        _finding("ENC004", "search", Status.PASS, Origin.PLAN),
        _finding("ENC001", "out_of_scope", Status.PASS, Origin.PLAN),
        _finding("NET003", "gone", Status.PASS, Origin.PLAN),
    ]
    live = [
        _finding("ENC001", "a", Status.PASS, Origin.RUNTIME),
        _finding("ENC002", "a", Status.FAIL, Origin.RUNTIME),
        _finding("NET001", "b", Status.PASS, Origin.RUNTIME),
        _finding("ENC004", "search", Status.FAIL, Origin.RUNTIME),
        _finding("IAM001", "c", Status.PASS, Origin.RUNTIME),
    ]
    result = compare_findings(
        plan,
        live,
        lambda r: r != "out_of_scope",
        lambda _rule, resource: "not stored" if resource == "search" else None,
    )
    assert result.compared == 5 and result.agreed == 1
    assert [(d.rule_id, d.plan, d.live) for d in result.disagreements] == [
        ("ENC002", "pass", "fail"),
        ("NET003", "pass", "not judged"),
    ]
    assert [(d.rule_id, d.plan, d.live) for d in result.live_only] == [("IAM001", "not judged", "pass")]
    assert [d.rule_id for d in result.resolved] == ["NET001"]
    assert [(d.resource, why) for d, why in result.explained] == [("search", "not stored")]
