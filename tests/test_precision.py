"""Precision on module-style Terraform (tests/precision/corpus): no false failures.

The corpus is written the way public registry modules are (create switches and count = 0 resources,
dynamic blocks over lists with try() defaults, values through locals, concat and module outputs,
secret-named variables and outputs that only point at secrets). Every resource is meant to be
compliant, so any FAIL is a false failure. Unknowns are allowed but counted: the numbers below are
the ones measured when the corpus was written (issue 18), so a change that loses precision shows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from compliance.engine import run
from compliance.loaders.hcl import load_hcl
from compliance.model import Model, Status
from compliance.rules import RULES

CORPUS = Path(__file__).parent / "precision" / "corpus"


def test_no_false_failures_on_module_style_terraform() -> None:
    resources = load_hcl([CORPUS])
    findings = run(RULES, Model(resources))
    counted = Counter(f.status for f in findings)
    failures = [f"{f.rule_id} {f.resource}: {f.message}" for f in findings if f.status is Status.FAIL]
    assert failures == []
    assert counted[Status.PASS] >= 14
    assert counted[Status.UNKNOWN] <= 1  # the for_each over a partially known policy ARN set


def test_switched_off_modules_give_no_findings() -> None:
    resources = load_hcl([CORPUS])
    findings = run(RULES, Model(resources))
    assert not [
        f for f in findings if f.resource.startswith(("module.network_disabled.", "module.sg_disabled."))
    ]
