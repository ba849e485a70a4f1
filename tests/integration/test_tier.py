"""The integration tier: staging applied to an emulator, judged live by the same rules as the plan."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest
import testinfra

from compliance import engine
from compliance.cli import main
from compliance.loaders.live import Clients, RuntimeLoad, load_runtime, state_resources
from compliance.loaders.live.account import caller_clients
from compliance.loaders.live.describers import DESCRIBERS
from compliance.loaders.plan import load_plan
from compliance.model import Finding, Model
from compliance.rules import RULES
from compliance.scan import LiveAccount, scan
from emulator.localstack import not_covered_service
from tests.integration import emulators, restore
from tests.integration.auditor import live_auditor
from tests.integration.coverage import not_covered
from tests.integration.emulators import selected_backends
from tests.integration.left_out import Item, items, not_applied
from tests.integration.pipeline import REGION, Pipeline
from tests.integration.quirks import AGREEMENT_QUIRKS, DRIFT_QUIRKS, MOTO_TLS_POLICY_REASON
from tests.integration.tier import Agreement, classify_drift, compare_findings, config_address, plan_changes
from tests.loaders.test_live_policy import MOTO_UNSIGNABLE

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RULE_TYPES = frozenset(t for rule in RULES for t in rule.types)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "left_out" in metafunc.fixturenames:
        found = [item for backend in selected_backends() for item in items(backend)]
        metafunc.parametrize("left_out", found, ids=[item.id for item in found])


def _host() -> Any:
    return testinfra.get_host("local://")


def _listening(host: Any, pid: int) -> list[str]:
    """Local addresses of every TCP socket the process listens on (`ss -ltnp`)."""
    output = host.check_output("ss -Hltnp")
    return [line.split()[3] for line in output.splitlines() if f"pid={pid}," in line]


def test_emulator_listens_on_loopback_only(emulator: emulators.Emulator, report: dict[str, Any]) -> None:
    host = _host()
    assert host.socket(f"tcp://127.0.0.1:{emulator.port}").is_listening
    assert not host.socket(f"tcp://0.0.0.0:{emulator.port}").is_listening
    if emulator.pid is None:
        return  # an external (Docker) endpoint: its compose file binds 127.0.0.1 (tests/test_compose.py)
    addresses = _listening(host, emulator.pid)
    assert addresses, f"pid {emulator.pid} listens on nothing"
    exposed = [a for a in addresses if not re.match(r"^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$", a)]
    assert not exposed, f"{emulator.backend} listens beyond loopback: {exposed}"
    report.setdefault("host", {})["listening"] = addresses


def test_emulator_processes_are_gone_after_teardown(backend: str, tier: Any) -> None:
    """A short-lived emulator of its own: started, stopped, then neither its process nor its port remains."""
    host = _host()
    probe = backend
    emulator = emulators.start(probe, tier.say, tag="-teardown-probe")
    assert emulator.pid is not None and host.socket(f"tcp://127.0.0.1:{emulator.port}").is_listening
    group = _process_group(host, emulator.pid)
    emulator.stop()
    assert not host.socket(f"tcp://127.0.0.1:{emulator.port}").is_listening
    survivors = [pid for pid in group if host.file(f"/proc/{pid}").exists]
    assert not survivors, f"{probe}: processes left behind after teardown: {survivors}"


def _process_group(host: Any, pid: int) -> list[int]:
    """The emulator's process and every process in its process group (children included)."""
    output = host.check_output("ps -eo pid=,pgid=")
    pids = {pid}
    for line in output.splitlines():
        process, group = (int(x) for x in line.split())
        if group == pid:
            pids.add(process)
    return sorted(pids)


def test_staging_applies(applied: Pipeline, report: dict[str, Any]) -> None:
    """Everything the emulator covers is applied; what it cannot apply is listed with the reason."""
    assert applied.subset is not None
    applied_addresses = {r.address for r in state_resources(applied.state)}
    planned = [c["address"] for c in applied.plan.get("resource_changes") or () if c.get("mode") == "managed"]
    report["planned_resources"] = len(planned)
    report["applied_resources"] = len(applied_addresses)
    report["not_covered"] = _not_covered_summary(applied)
    assert planned, "nothing planned"
    assert not set(planned) - applied_addresses, (
        f"planned but not applied: {sorted(set(planned) - applied_addresses)}"
    )
    # What the emulator left out is not checked here: each item is a skip of test_left_out_is_skipped.


def _not_covered_summary(applied: Pipeline) -> dict[str, Any]:
    """Left-out types with the emulator's reason (or 'depends on ...' for dependants), and their services."""
    assert applied.subset is not None
    reason = not_covered(applied.backend)
    types = sorted({config_address(a).split(".")[-2] for a in applied.subset.excluded})
    return {
        "types": {t: reason(t) or "depends on a resource the emulator cannot apply" for t in types},
        "services": sorted({s for t in types if reason(t) and (s := not_covered_service(t))}),
        "resources": dict(sorted(applied.subset.excluded.items())),
    }


_LIVE: dict[str, RuntimeLoad] = {}


def _live_of(applied: Pipeline) -> RuntimeLoad:
    """The applied staging described live, once per backend (tests of several backends share it)."""
    if applied.backend not in _LIVE:
        _LIVE[applied.backend] = load_runtime(applied.state, Clients(REGION, applied.endpoint_url))
    return _LIVE[applied.backend]


@pytest.fixture(scope="session")
def live(applied: Pipeline) -> RuntimeLoad:
    return _live_of(applied)


def test_every_applied_resource_is_described_live(live: RuntimeLoad, report: dict[str, Any]) -> None:
    report["runtime"] = {
        "described": len(live.resources),
        "missing": list(live.missing),
        "not_described": dict(sorted(live.not_described.items())),
    }
    assert not live.missing, f"applied but gone live: {live.missing}"
    judged_but_blind = {a: why for a, why in live.not_described.items() if a.split(".")[-2] in RULE_TYPES}
    assert not judged_but_blind, (
        f"rules judge these types but no live describer reads them: {judged_but_blind}"
    )


def _plan_findings(applied: Pipeline) -> tuple[Finding, ...]:
    return engine.run(RULES, Model(load_plan(applied.out / "plan.json")))


def _explain(backend: str) -> Any:
    def explain(rule_id: str, resource: str) -> str | None:
        for backends, address, rule, reason in AGREEMENT_QUIRKS:
            if (
                backend in backends
                and fnmatch.fnmatchcase(resource, address)
                and fnmatch.fnmatchcase(rule_id, rule)
            ):
                return reason
        return None

    return explain


def _agreement_of(applied: Pipeline) -> Agreement:
    live = _live_of(applied)
    applied_addresses = {r.address for r in state_resources(applied.state)} - set(live.not_described)
    return compare_findings(
        _plan_findings(applied),
        engine.run(RULES, Model(live.resources)),
        lambda address: address in applied_addresses,
        _explain(applied.backend),
    )


def test_plan_and_live_judgments_agree(applied: Pipeline, report: dict[str, Any]) -> None:
    """Every (rule, resource) the plan scan judged among the applied resources is judged live the same way,
    and nothing fails live that the plan did not fail (tier.compare_findings)."""
    agreement = _agreement_of(applied)
    report["agreement"] = _agreement_summary(agreement)
    assert agreement.compared > 0
    assert not agreement.disagreements, "plan and live disagree:\n" + "\n".join(
        map(str, agreement.disagreements)
    )


def _agreement_summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "compared": agreement.compared,
        "agreed": agreement.agreed,
        "resolved_live": [str(d) for d in agreement.resolved],
        "judged_live_only": [str(d) for d in agreement.live_only],
        "explained_by_emulator": [f"{d} -- {why}" for d, why in agreement.explained],
        "disagreements": [str(d) for d in agreement.disagreements],
    }


def test_no_drift_after_apply(applied: Pipeline, report: dict[str, Any]) -> None:
    drift = classify_drift(plan_changes(applied.replan), applied.backend, DRIFT_QUIRKS)
    report["drift"] = {
        "real": [f"{c.address} {'/'.join(c.actions)} {list(c.attributes)}" for c in drift.real],
        "emulator_quirks": [f"{c.address} {list(c.attributes)}: {why}" for c, why in drift.explained],
    }
    assert not drift.real, "the re-plan after apply changes:\n" + "\n".join(report["drift"]["real"])


def test_left_out_is_skipped(left_out: Item, tier: Any) -> None:
    """One test per thing a backend leaves out or waives (tests/integration/left_out.py): skipped with the
    reason and what it left out in this run, so JUnit shows it as not exercised; passes when staging has
    nothing of it."""
    applied = tier.wait(left_out.backend)
    what = _left_out_now(left_out, applied)
    if what:
        pytest.skip(f"left out on {left_out.backend}: {left_out.reason}: {'; '.join(what)}")


def _left_out_now(item: Item, applied: Pipeline) -> list[str]:
    if item.kind == "not-applied":
        assert applied.subset is not None
        return not_applied(item, applied.subset.excluded)
    if item.kind == "policy-read":
        return sorted(r.address for r in state_resources(applied.state) if r.type.startswith(f"{item.key}_"))
    if item.kind == "drift-waived":
        quirk = DRIFT_QUIRKS[int(item.key)]
        drift = classify_drift(plan_changes(applied.replan), applied.backend, DRIFT_QUIRKS)
        waived = [
            (c.address, [a for a in c.attributes if quirk.covers(applied.backend, c.address, a)])
            for c, _ in drift.explained
        ]
        return [f"{address} {attributes}" for address, attributes in waived if attributes]
    assert item.kind == "agreement-waived"
    return [str(d) for d, why in _agreement_of(applied).explained if why == item.reason]


# --- the product path: `python -m compliance scan --live` as an auditor would run it ---------------------------


def test_scan_live_cli_agrees_with_the_plan_and_hcl_scan(
    applied: Pipeline,
    live: RuntimeLoad,
    report: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`scan --live STATE --endpoint-url URL`, as the auditor user, judges the applied staging as the plan+HCL
    scan of its root does (in every format: tests/loaders/test_live_policy.py)."""
    state = applied.out / "state.json"
    account = LiveAccount(REGION, applied.endpoint_url)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with live_auditor(applied, monkeypatch, enforce=False):
        output = tmp_path / "live.json"
        argv = ["scan", "--live", str(state), "--region", REGION, "--endpoint-url", applied.endpoint_url]
        code = main([*argv, "--format", "json", "--output", str(output)])
        api = scan(live=[state], live_account=account)
    assert code == api.exit_code and code in (0, 1)
    cli_findings = json.loads(output.read_text())["findings"]
    assert {(f["rule_id"], f["resource"], f["status"]) for f in cli_findings} == {
        (f.rule_id, f.resource, f.status.value) for f in api.findings
    }
    planned = scan([applied.workdir], [applied.out / "plan.json"]).result_of(applied.out / "plan.json")
    applied_addresses = {r.address for r in state_resources(applied.state)} - set(live.not_described)
    agreement = compare_findings(
        planned.findings, api.findings, lambda a: a in applied_addresses, _explain(applied.backend)
    )
    report["cli_live"] = {"exit_code": code, "findings": len(cli_findings), **_agreement_summary(agreement)}
    assert agreement.compared > 0
    assert not agreement.disagreements, "scan --live and the plan+HCL scan disagree:\n" + "\n".join(
        map(str, agreement.disagreements)
    )


def test_the_read_only_policy_reads_the_applied_staging(
    applied: Pipeline, backend: str, monkeypatch: pytest.MonkeyPatch, report: dict[str, Any]
) -> None:
    """moto enforcing IAM: the auditor holding only the shipped policy describes every applied object
    (but EFS, OpenSearch, Backup and Lambda, whose requests moto cannot verify while enforcing) without a denial."""
    enforce = backend == "moto"  # LocalStack community does not enforce IAM: there the read only runs
    describers = {k: v for k, v in DESCRIBERS.items() if not (enforce and k.startswith(MOTO_UNSIGNABLE))}
    with live_auditor(applied, monkeypatch, enforce=enforce):
        load = load_runtime(applied.state, caller_clients(REGION, applied.endpoint_url), describers)
    report["policy"] = {
        "iam_enforced": enforce,
        "described": len(load.resources),
        "left_out": list(MOTO_UNSIGNABLE),
    }
    assert len(load.resources) > 20 and not load.missing


# --- Neo4j backup restore (last: it applies again and changes the live stack) --------------------------------

RESTORE_TASK = "module.stack.module.neo4j.module.restore.aws_ecs_task_definition.this"
RESTORE_RECORD = "module.stack.module.neo4j.terraform_data.restore[0]"
BACKUP_BUCKET = "module.stack.module.backup_bucket.aws_s3_bucket.this"
BACKUP_KEY = "neo4j-data-volume.tar.gz"


def test_neo4j_backup_restore_runs_once(applied: Pipeline, report: dict[str, Any]) -> None:
    """The orchestration: backup object in S3 -> the terraform_data restore launches the one-time task once;
    a second apply does not repeat it; a new object version does. The emulator runs no container, so what
    the task does (restore_task.sh, checked here to be the launched command) is tested with real Neo4j
    store files in test_neo4j_restore.py."""
    assert applied.subset is not None
    if RESTORE_TASK in applied.subset.excluded:
        report["restore"] = {"exercised": False, "reason": applied.subset.excluded[RESTORE_TASK]}
        pytest.skip(f"left out on {applied.backend}: {RESTORE_TASK}: {applied.subset.excluded[RESTORE_TASK]}")
    aws = Clients(REGION, applied.endpoint_url)
    values = {r.address: r.values for r in state_resources(applied.state)}
    bucket = values[BACKUP_BUCKET]["bucket"]
    task_definition = values[RESTORE_TASK]["arn"]
    cluster = values["module.stack.module.cluster.aws_ecs_cluster.this"]["arn"]
    # the same subset as the session apply, plus the restore record that only exists once enabled
    targets = (
        (*applied.targets, "-target=module.stack.module.neo4j.terraform_data.restore")
        if applied.targets
        else ()
    )

    def apply_restoring(version: str) -> None:
        var_file = restore.enable_restore(applied.workdir, applied.endpoint_url, version)
        applied.terraform(
            "apply", "-input=false", "-no-color", "-auto-approve", f"-var-file={var_file}", *targets
        )

    first = restore.upload(aws("s3"), bucket, BACKUP_KEY, restore.archive("v1"))
    apply_restoring(first)
    record = restore.record(applied)
    assert record is not None, f"{RESTORE_RECORD} was not created"
    assert record["triggers_replace"]["version"] == first
    assert restore.launched(aws, cluster, task_definition) == 1, (
        "the restore task was not launched exactly once"
    )
    (container,) = aws("ecs").describe_task_definition(taskDefinition=task_definition)["taskDefinition"][
        "containerDefinitions"
    ]
    assert container["command"] == [restore.SCRIPT.read_text()], "the task runs the module's restore_task.sh"

    apply_restoring(first)
    assert restore.record(applied) == record, "a second apply replaced the restore record"
    assert restore.launched(aws, cluster, task_definition) == 1, "a second apply ran the restore again"

    second = restore.upload(aws("s3"), bucket, BACKUP_KEY, restore.archive("v2"))
    assert second != first, "the bucket is versioned: a new upload is a new version"
    apply_restoring(second)
    rerun = restore.record(applied)
    assert (
        rerun is not None and rerun["id"] != record["id"] and rerun["triggers_replace"]["version"] == second
    )
    assert restore.launched(aws, cluster, task_definition) == 2, (
        "a new backup version did not rerun the restore"
    )
    report["restore"] = {
        "exercised": True,
        "object_versions": [first, second],
        "task_runs": 2,
        "note": "version pinned through neo4j_restore.version_id: " + MOTO_TLS_POLICY_REASON,
    }
