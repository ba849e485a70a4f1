"""Session-wide emulators and applies for the integration tier.

As soon as collection selects integration tests, each backend's emulator starts (main thread, free port,
readiness wait) and its apply pipeline runs in a background thread, so both backends' long waits overlap
with each other and with the unit tests; the seeded-violation root (test_tier_violations.py) is applied the
same way on a moto of its own, in parallel. Every apply waits ~10 min in the AWS provider for its OpenSearch
domain (a fixed delay before the first status check), so none of them is started later than collection.
Tests wait on the pipeline with progress lines on the terminal.
Emulators stop at session end, at exit and on SIGTERM/SIGHUP. Results go to build/test-results/.
"""

from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from emulator.override import write_override
from tests.integration import emulators, seeded
from tests.integration.emulators import selected_backends
from tests.integration.left_out import coverage_counts
from tests.integration.pipeline import Pipeline
from tests.integration.tier import kill_terraform

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "build" / "test-results"


@dataclass
class Tier:
    """Everything the session started, and what the tests report."""

    say: Callable[[str], None]
    emulators: dict[str, emulators.Emulator] = field(default_factory=dict)
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    start_errors: dict[str, BaseException] = field(default_factory=dict)
    violations: Pipeline | None = None  # the seeded-violation root on its own moto (seeded.py)
    starting: dict[str, threading.Thread] = field(default_factory=dict)  # background emulator starts
    notes: list[str] = field(default_factory=list)  # their messages, printed by the main thread
    report: dict[str, dict[str, Any]] = field(default_factory=dict)
    junit: list[pytest.TestReport] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def start(self, backends: tuple[str, ...], staging: bool = True, violations: bool = False) -> None:
        emulators.install_teardown()
        if violations and "moto" in backends:
            self._bring_up("violations", "moto", self.say)
        for backend in backends if staging else ():
            if backend != "localstack":
                self._bring_up(backend, backend, self.say)
                continue
            # Its first start builds .venv-localstack (minutes on a fresh clone): in the background, so it holds
            # up neither moto's apply nor the unit tests. moto stays on the main thread: it gets SIGTERM when
            # the thread that started it ends (PR_SET_PDEATHSIG, emulator/moto.py).
            thread = threading.Thread(
                target=self._bring_up, args=(backend, backend, self.notes.append), name=f"start-{backend}"
            )
            thread.daemon = True
            self.starting[backend] = thread
            thread.start()

    def _bring_up(self, name: str, backend: str, say: Callable[[str], None]) -> None:
        """Start the emulator of `name` (a backend, or "violations": a moto of its own) and its apply."""
        try:
            emulator = emulators.start(backend, say, tag="" if name == backend else f"-{name}")
        except Exception as error:  # the tests of this backend fail with it
            self.start_errors[name] = error
            say(f"[{name}] emulator failed to start: {error}")
            return
        self.emulators[name] = emulator
        if name == "violations":
            self.violations = Pipeline(
                "moto", emulator.endpoint_url, _override, root=seeded.ROOT, check_drift=False
            )
            self.violations.start()
            return
        self.report.setdefault(backend, {})["emulator"] = {
            "endpoint_url": emulator.endpoint_url,
            "startup_s": round(emulator.startup_seconds, 2),
            "rss_mib_at_start": emulator.rss_mib(),
            "log": str(emulator.log) if emulator.log else None,
        }
        pipeline = Pipeline(backend, emulator.endpoint_url, _override)
        self.pipelines[backend] = pipeline
        pipeline.start()

    def ready(self, name: str) -> None:
        """Wait for the emulator start of `name` (in the background for LocalStack); raise its error."""
        thread = self.starting.get(name)
        while thread is not None and thread.is_alive():
            thread.join(30)
            self._progress()
        self._progress()
        if name in self.start_errors:
            raise self.start_errors[name]

    def wait_violations(self) -> Pipeline:
        self.ready("violations")
        if self.violations is None:
            raise RuntimeError("the seeded violations run on moto, which INTEGRATION_EMULATORS leaves out")
        return self._wait(self.violations)

    def wait(self, backend: str) -> Pipeline:
        """The applied pipeline of `backend`, printing every backend's progress every 30 s meanwhile."""
        self.ready(backend)
        if backend not in self.pipelines:
            raise RuntimeError(f"{backend} was not started (INTEGRATION_EMULATORS={selected_backends()})")
        return self._wait(self.pipelines[backend])

    def _wait(self, pipeline: Pipeline) -> Pipeline:
        while not pipeline.finished(30):
            self._progress()
        self._progress()
        return pipeline.result()

    def _progress(self) -> None:
        """Messages of background starts, then one line per running pipeline (main thread only)."""
        while self.notes:
            self.say(self.notes.pop(0))
        for pipeline in [*self.pipelines.values(), *([self.violations] if self.violations else [])]:
            if not pipeline.finished(0):
                self.say(f"integration: {pipeline.progress.line()}")

    def stop(self) -> None:
        kill_terraform()
        for backend, emulator in self.emulators.items():
            self.report.setdefault(backend, {}).setdefault("emulator", {})["rss_mib_at_end"] = (
                emulator.rss_mib()
            )
        emulators.stop_all()


# An apply cannot wait for DNS validation of the ALB's certificate: nothing answers DNS here.
APPLY_VARIABLES = {"certificate_wait_for_validation": False}


def _override(workdir: Path, endpoint_url: str) -> Any:
    return write_override(workdir, endpoint_url, variables=APPLY_VARIABLES)


TIER = pytest.StashKey[Tier]()


def _say_with(config: pytest.Config) -> Callable[[str], None]:
    """Print past pytest's capture (so `make test` shows it), from the main thread only."""

    def say(message: str) -> None:
        capture = config.pluginmanager.getplugin("capturemanager")
        reporter = config.pluginmanager.getplugin("terminalreporter")
        if capture is None or reporter is None:
            print(message, flush=True)
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(message)

    return say


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Integration tests last: their applies start at collection and run while the unit tests do."""
    items[:] = [i for i in items if not i.get_closest_marker("integration")] + [
        i for i in items if i.get_closest_marker("integration")
    ]


STAGING_FIXTURES = frozenset({"backend", "emulator", "applied", "report", "left_out"})
VIOLATIONS_FIXTURES = frozenset({"violations"})


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the tier only for tests that use it (the data-store tests bring their own servers)."""
    used = set().union(*(getattr(item, "fixturenames", ()) for item in session.items))
    staging, violations = bool(STAGING_FIXTURES & used), bool(VIOLATIONS_FIXTURES & used)
    if session.config.option.collectonly or not (staging or violations):
        return
    tier = Tier(_say_with(session.config))
    session.config.stash[TIER] = tier
    tier.start(selected_backends(), staging=staging, violations=violations)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", selected_backends(), scope="session")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "integration" in report.keywords:
        _collected_reports.append(report)


_collected_reports: list[pytest.TestReport] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    tier = session.config.stash.get(TIER, None)
    if tier is None:
        return
    tier.stop()
    for backend, pipeline in tier.pipelines.items():
        section = tier.report.setdefault(backend, {})
        section["timings_s"] = pipeline.timings
        section["apply_retried_after"] = pipeline.retried
    if tier.violations is not None:
        tier.report.setdefault("violations", {})["timings_s"] = tier.violations.timings
    tier.report["tier_total_s"] = {"value": round(time.monotonic() - tier.started, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "integration-report.json").write_text(
        json.dumps(tier.report, indent=2, sort_keys=True, default=str)
    )
    _write_junit(RESULTS / "integration.xml", _collected_reports)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Per backend: tests that exercised it, what it left out (skips, each with its reason), timings."""
    tier = terminalreporter.config.stash.get(TIER, None)
    if tier is None:
        return
    terminalreporter.section("integration tier")
    counts = coverage_counts(_collected_reports)
    for backend in sorted(counts):
        covered, left_out, failed = counts[backend]
        terminalreporter.write_line(
            f"{backend}: covered {covered}, left out {left_out} (skipped, reasons with -rs and in JUnit)"
            + (f", failed {failed}" if failed else "")
        )
    for backend, pipeline in tier.pipelines.items():
        section = tier.report.get(backend, {})
        emulator = section.get("emulator", {})
        excluded = len((section.get("not_covered") or {}).get("resources", {}))
        retried = f"; apply retried after: {pipeline.retried}" if pipeline.retried else ""
        terminalreporter.write_line(
            f"{backend}: emulator start {emulator.get('startup_s')}s, RSS {emulator.get('rss_mib_at_start')} -> "
            f"{emulator.get('rss_mib_at_end')} MiB; {pipeline.timings}; not applied: {excluded} resources"
            f"{retried}"
        )
    if tier.violations is not None:
        terminalreporter.write_line(f"moto (seeded violations): {tier.violations.timings}")
    terminalreporter.write_line(
        f"report: {RESULTS / 'integration-report.json'}; JUnit: {RESULTS / 'integration.xml'}"
    )


def _write_junit(path: Path, reports: list[pytest.TestReport]) -> None:
    """JUnit XML of the integration tests alone (make test runs them in one pytest run with the rest).

    A test's time includes its setup, where the session apply is waited for."""
    by_test: dict[str, list[pytest.TestReport]] = {}
    for report in reports:
        by_test.setdefault(report.nodeid, []).append(report)
    suite = ET.Element("testsuite", name="integration")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total = 0.0
    for nodeid, phases in by_test.items():
        module, _, name = nodeid.partition("::")
        case = ET.SubElement(
            suite, "testcase", classname=module.replace("/", ".").removesuffix(".py"), name=name
        )
        seconds = sum(phase.duration for phase in phases)
        case.set("time", f"{seconds:.3f}")
        total += seconds
        counts["tests"] += 1
        for phase in phases:
            if phase.skipped:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=str(phase.longrepr)[:500])
            elif phase.failed:
                kind = "failure" if phase.when == "call" else "error"
                counts["failures" if kind == "failure" else "errors"] += 1
                ET.SubElement(case, kind, message=f"{phase.when} failed").text = str(phase.longreprtext)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", f"{total:.3f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


@pytest.fixture(scope="session")
def tier(request: pytest.FixtureRequest) -> Tier:
    found = request.config.stash.get(TIER, None)
    if found is None:
        pytest.fail("the integration tier was not started (no integration test collected?)")
    return found


@pytest.fixture(scope="session")
def emulator(tier: Tier, backend: str) -> emulators.Emulator:
    try:
        tier.ready(backend)
    except Exception as error:
        pytest.fail(f"{backend} could not start: {error}")
    return tier.emulators[backend]


@pytest.fixture(scope="session")
def applied(tier: Tier, backend: str) -> Pipeline:
    """The staging stack applied to `backend` once per session, shared by every test."""
    return tier.wait(backend)


@pytest.fixture(scope="session")
def violations(tier: Tier) -> Pipeline:
    """The seeded-violation root applied to its own moto once per session (skipped without moto)."""
    if "moto" not in selected_backends():
        pytest.skip("the seeded violations are applied to moto, which INTEGRATION_EMULATORS leaves out")
    return tier.wait_violations()


@pytest.fixture(scope="session")
def report(tier: Tier, backend: str) -> dict[str, Any]:
    """The backend's section of build/test-results/integration-report.json."""
    return tier.report.setdefault(backend, {})
