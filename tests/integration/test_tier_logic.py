"""The tier's pure parts, without an emulator: covered subset, drift classification, plan-versus-live."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.model import Finding, Origin, Severity, Source, Status
from emulator.localstack import not_covered_service
from tests.integration import seeded
from tests.integration.coverage import not_covered
from tests.integration.left_out import coverage_counts, items, not_applied
from tests.integration.pipeline import copy_terraform
from tests.integration.tier import (
    Change,
    Quirk,
    changed_paths,
    classify_drift,
    compare_findings,
    config_address,
    covered_subset,
    graph_dependencies,
    known_transient,
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


def test_a_live_fail_the_plan_did_not_show_is_a_disagreement() -> None:
    """Plan UNKNOWN or not judged, live FAIL: the gate would have let it through, so the test must fail."""
    plan = [_finding(rule, "p", Status.UNKNOWN, Origin.PLAN) for rule in ("IAM001", "IAM002")]
    seen = [("IAM001", "p", Status.FAIL), ("IAM002", "p", Status.PASS), ("NET010", "sg", Status.FAIL)]
    live = [_finding(*item, Origin.RUNTIME) for item in [*seen, ("ENC005", "search", Status.FAIL)]]
    result = compare_findings(plan, live, bool, lambda _rule, r: "not stored" if r == "search" else None)
    assert [(d.rule_id, d.plan, d.live) for d in result.disagreements] == [
        ("IAM001", "unknown", "fail"),
        ("NET010", "not judged", "fail"),
    ]
    assert [d.rule_id for d in result.resolved] == ["IAM002"]
    assert result.live_only == ()
    assert [d.rule_id for d, _ in result.explained] == ["ENC005"]


_ROLE_RACE = (
    "Error: creating IAM Role (s3-replication-2026120610262608500000001a): operation error IAM: CreateRole, "
    "https response error StatusCode: 409, RequestID: 9f54, EntityAlreadyExists: Role with name "
    "s3-replication-2026120610262608500000001a already exists.\n"
)


def test_only_the_known_role_race_counts_as_transient() -> None:
    """The one error the pipeline retries (seen on LocalStack, build log of 2026-12-06), alone; never mixed with
    another error, never for another role or a role whose name differs from the one created."""
    assert known_transient("Plan: 3 to add\n" + _ROLE_RACE) is not None
    assert known_transient(_ROLE_RACE + "Error: creating EFS file system: boom\n") is None
    assert known_transient(_ROLE_RACE.replace("s3-replication-", "api-task-")) is None
    assert (
        known_transient(_ROLE_RACE.replace("with name s3-replication-2026", "with name s3-replication-2027"))
        is None
    )
    assert known_transient("Error: creating IAM Role (x): AccessDenied\n") is None
    assert known_transient("no error at all") is None


def test_every_left_out_resource_is_one_items_skip() -> None:
    excluded = {
        "module.a.aws_ecs_service.this": "ecs is not in LocalStack's community runtime",
        "module.a.aws_iam_role.r": "depends on module.a.aws_ecs_service.this (ecs is not in ...)",
        "module.b.aws_efs_file_system.this": "efs is not in LocalStack's community runtime",
    }
    by_item = {i.key: not_applied(i, excluded) for i in items("localstack") if i.kind == "not-applied"}
    assert by_item["ecs"] == ["module.a.aws_ecs_service.this", "module.a.aws_iam_role.r"]
    assert by_item["efs"] == ["module.b.aws_efs_file_system.this"]
    assert sum(len(found) for found in by_item.values()) == len(excluded)
    assert len({i.id for i in items("moto")}) == len(items("moto"))


def _report(nodeid: str, when: str, outcome: str) -> pytest.TestReport:
    return pytest.TestReport(nodeid, ("f", 0, "t"), {}, outcome, None, when)  # type: ignore[arg-type]


def test_coverage_counts_split_passes_and_skips_per_backend() -> None:
    reports = [
        _report("t.py::a[moto]", "setup", "passed"),
        _report("t.py::a[moto]", "call", "passed"),
        _report("t.py::b[moto-not-applied-x]", "call", "skipped"),
        _report("t.py::a[localstack]", "setup", "skipped"),
        _report("t.py::a[localstack]", "teardown", "passed"),
        _report("t.py::c[localstack]", "call", "failed"),
        _report("test_tier_violations.py::v", "call", "passed"),
        _report("test_tier_logic.py::pure", "call", "passed"),
    ]
    assert coverage_counts(reports) == {"moto": (2, 1, 0), "localstack": (0, 1, 1)}


def test_a_seeded_root_is_copied_beside_the_envs(tmp_path: Path) -> None:
    """Module sources of the violations root resolve in the copy as the envs' do (../../modules)."""
    workdir = copy_terraform(tmp_path / "terraform", seeded.ROOT)
    assert workdir == tmp_path / "terraform" / "envs" / "violations"
    assert (workdir / "main.tf").read_text() == (seeded.ROOT / "main.tf").read_text()
    assert (workdir / "../../modules/kms/main.tf").exists()
    assert copy_terraform(tmp_path / "again") == tmp_path / "again" / "envs" / "staging"
