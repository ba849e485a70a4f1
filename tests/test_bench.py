"""The benchmark harness in its smoke mode: it runs both tools on the same inputs and reports ratios.
Timing is never asserted here (that is `make bench`'s table); only that the harness measures something real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.terraform
def test_quick_bench_measures_both_tools(tmp_path: Path, env_plans: dict[str, Path]) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "speedup" in done.stdout and "target hcl_vs_checkov_speedup" in done.stdout
    results = json.loads(out.read_text())
    cases = results["cases"]
    assert {"hcl_generated_60", "plan_100", "evidence_staging"} <= set(cases)
    for name, case in cases.items():
        ours = case["ours"]
        assert all(code in (0, 1) for code in ours["exit_codes"]), (name, ours)
        assert 0 < ours["min_s"] <= ours["median_s"] <= ours["max_s"] and ours["peak_rss_mb"] > 10
        if "checkov" in case:
            assert all(code in (0, 1) for code in case["checkov"]["exit_codes"]), (name, case["checkov"])
            assert case["speedup"] > 0 and case["checkov"]["peak_rss_mb"] > 50
    assert cases["plan_100"]["resources"] >= 100
    assert "checkov" in cases["hcl_generated_60"] and "checkov" in cases["plan_100"]
