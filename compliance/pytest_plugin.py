"""The compliance gate as pytest items: each (rule, resource) finding of the given inputs is one test.

    pytest -m compliance --compliance-path terraform/envs/staging [--compliance-plan PLAN_JSON]
           [--compliance-waivers FILE] [--compliance-var-file FILE]

Items are named `RULE::ADDRESS` under one collector per input (its node id relative to the rootdir, so
JUnit classnames never start with a dot) and marked `compliance`, `severity(level=...)`,
`family(name=...)` and one `control(framework=..., id=...)` per mapped control, so that e.g.
`-m "compliance and severity(level='critical')"` or `-m "control(framework='HIPAA', id='164.312(b)')"`
selects among them. They are reported to the terminal as collected. PASS passes;
FAIL and UNKNOWN fail with rule, title, resource, file:line, message and remediation (no traceback);
WAIVED is skipped with its justification. Without these options the plugin does nothing.

When compliance inputs are given and no test path is on the command line (pytest would fall back to
`testpaths` or the current directory), the gate collects only its items: it must not depend on the unit tests importing cleanly.

Loaded both as the `compliance` pytest11 entry point and with `-p compliance.pytest_plugin` (the
Makefile's gate): the second registration is skipped instead of failing with "already registered".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.model import Finding, InputError, Status

ENTRY_POINT = "compliance"


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    # The module may be registered under its module name (-p) and then offered again as the entry point.
    if pluginmanager.get_plugin(ENTRY_POINT) is None:
        pluginmanager.set_blocked(ENTRY_POINT)
    group = parser.getgroup("compliance", "compliance gate (rules x resources as test items)")
    group.addoption(
        "--compliance-path", action="append", default=[], metavar="PATH", help="Terraform root or .tf file"
    )
    group.addoption(
        "--compliance-plan", action="append", default=[], metavar="PLAN_JSON", help="terraform show -json"
    )
    group.addoption("--compliance-waivers", default=None, metavar="FILE", help="waiver file")
    group.addoption("--compliance-var-file", action="append", default=[], metavar="FILE", help="extra tfvars")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "compliance: a compliance gate item (rule x resource of our envs)")
    config.addinivalue_line("markers", "severity(level): a compliance item's severity (low ... critical)")
    config.addinivalue_line("markers", "family(name): a compliance item's rule family (ENC, IAM, ...)")
    config.addinivalue_line("markers", "control(framework, id): a control the compliance item evidences")


def _active(config: pytest.Config) -> bool:
    return bool(config.getoption("compliance_path") or config.getoption("compliance_plan"))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if _active(config) and config.args_source is not pytest.Config.ArgsSource.ARGS:
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before -m/-k deselection, so those select among our items too
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not _active(config):
        return
    inputs = [(Path(p), "hcl") for p in config.getoption("compliance_path")]
    inputs += [(Path(p), "plan") for p in config.getoption("compliance_plan")]
    for path, kind in inputs:
        collector = ComplianceInput.from_parent(
            session, name=str(path), nodeid=_node_id(path, config.rootpath), path=path, kind=kind
        )
        collected = collector.collect()
        # Added after collection proper: tell the reporters, or the terminal says "collected 0 items".
        report = pytest.CollectReport(collector.nodeid, "passed", None, list(collected))
        config.hook.pytest_collectreport(report=report)
        items.extend(collected)


def _node_id(path: Path, rootdir: Path) -> str:
    """`terraform/envs/staging` for a path under the rootdir (absolute or not), else the path without
    its leading slash: JUnit turns the node id into a dotted classname."""
    absolute = path.resolve()
    if absolute.is_relative_to(rootdir):
        return absolute.relative_to(rootdir).as_posix()
    return absolute.as_posix().lstrip("/")


class ComplianceInput(pytest.Collector):
    """One scanned input (an env root or a plan); its items are that input's findings."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind

    def collect(self) -> list[pytest.Item]:
        return list(self._items())

    def _items(self) -> Iterator[ComplianceItem]:
        from compliance.scan import scan
        from compliance.waivers import DEFAULT

        config = self.config
        waivers = config.getoption("compliance_waivers")
        var_files = [Path(p) for p in config.getoption("compliance_var_file")]
        roots = [Path(p) for p in config.getoption("compliance_path")]
        try:
            # A plan is scanned beside the env roots so that its own root completes its unknowns
            # (compliance.loaders.plan.completion); only the plan's findings become this input's items.
            result = scan(
                paths=[self.path] if self.kind == "hcl" else roots,
                plans=[self.path] if self.kind == "plan" else [],
                var_files=var_files,
                waivers=Path(waivers) if waivers else DEFAULT,
            )
        except InputError as error:
            raise pytest.UsageError(f"compliance: {error}") from error
        for finding in result.result_of(self.path).findings:
            item = ComplianceItem.from_parent(
                self, name=f"{finding.rule_id}::{finding.resource}", finding=finding
            )
            item.add_marker(pytest.mark.compliance)
            item.add_marker(pytest.mark.severity(level=finding.severity.value))
            item.add_marker(pytest.mark.family(name=finding.rule_id[:3]))
            for framework, controls in finding.controls.items():
                for control in controls:
                    item.add_marker(pytest.mark.control(framework=framework, id=control))
            yield item


class ComplianceFailedError(Exception):
    """Raised by a failing item; repr_failure turns it into the finding's report."""


class ComplianceItem(pytest.Item):
    def __init__(self, *, finding: Finding, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.finding = finding

    def runtest(self) -> None:
        finding = self.finding
        if finding.status is Status.WAIVED:
            waiver = finding.waiver
            until = f" until {waiver.expires}" if waiver and waiver.expires else ""
            pytest.skip(f"waived{until}: {waiver.justification}" if waiver else "waived")
        if finding.failing:
            raise ComplianceFailedError(finding.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ComplianceFailedError):
            return report(self.finding)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        source = self.finding.source
        return Path(source.file), (source.line - 1 if source.line > 0 else None), self.name


def report(finding: Finding) -> str:
    """What a failing gate item shows: enough to fix it without opening another report."""
    line = f":{finding.source.line}" if finding.source.line > 0 else ""
    return "\n".join(
        (
            f"{finding.rule_id} {finding.status.value.upper()}: {finding.title}",
            f"  resource:    {finding.resource}",
            f"  at:          {finding.source.file}{line}",
            f"  message:     {finding.message}",
            f"  remediation: {finding.remediation}",
        )
    )
