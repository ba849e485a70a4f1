"""make bench: our scanner and checkov on identical inputs, in one run, reported as ratios.

python -m bench [--quick] [--runs N] [--output bench/results.json]
--quick is the smoke mode `make test` runs: small inputs, one run, to prove the harness works.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import inputs, measure

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ENVS = ("staging", "prod")
TARGETS = {
    "hcl_vs_checkov_speedup_min": 5.0,
    "plan_10000_max_s": 3.0,
    "plan_10000_max_rss_mb": 1024.0,
    "plan_50000_max_s": 15.0,
    "plan_growth_10x_max": 12.0,
    "evidence_max_s": 2.0,
}


def ours(*args: str) -> list[str]:
    return [PY, "-m", "compliance", *args]


def checkov(*args: str) -> list[str]:
    exe = os.environ.get("CHECKOV", str(ROOT / ".venv-checkov" / "bin" / "checkov"))
    return [exe, *args, "-o", "json", "--quiet", "--compact", "--skip-download"]


def staging_plan() -> Path:
    from tools.plan import fresh_plans

    return fresh_plans()["staging"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke mode: small inputs, one run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", PYTHONDONTWRITEBYTECODE="1")
    results: dict[str, Any] = {"quick": args.quick, "runs": runs, "cases": {}}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        out = str(work / "out.json")
        cases = results["cases"]
        hcl_dirs = {"hcl_generated_60": inputs.write_hcl_dir(work / "hcl60", 60)}
        if not args.quick:
            hcl_dirs.update(
                {f"hcl_env_{env_name}": ROOT / "terraform" / "envs" / env_name for env_name in ENVS}
            )
        for name, directory in hcl_dirs.items():
            cases[name] = _pair(
                ours("scan", str(directory), "--format", "json", "--output", out),
                checkov("-d", str(directory), "--framework", "terraform"),
                runs,
                env,
            )
        base = json.loads(staging_plan().read_text())
        sizes = (100,) if args.quick else (100, 1_000, 10_000, 50_000)
        for size in sizes:
            plan = inputs.write_plan(inputs.scale_plan(base, size), work / f"plan{size}.json")
            with_checkov = size <= 1_000 or (size <= 10_000 and not args.quick)
            cases[f"plan_{size}"] = _pair(
                ours("scan", "--plan", str(plan), "--format", "json", "--output", out),
                checkov("-f", str(plan), "--framework", "terraform_plan") if with_checkov else None,
                runs if size <= 10_000 else max(1, runs // 2),
                env,
                resources=inputs.count_resources(json.loads(plan.read_text())),
            )
        cases["evidence_staging"] = _pair(
            ours("evidence", str(ROOT / "terraform" / "envs" / "staging"), "--output-dir", str(work / "ev")),
            None,
            runs,
            env,
        )
    results["targets"] = _targets(cases)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    _print_table(cases, results["targets"])
    return 0


def _pair(
    mine: list[str], theirs: list[str] | None, runs: int, env: dict[str, str], **extra: Any
) -> dict[str, Any]:
    case: dict[str, Any] = {"ours": measure.process(mine, runs, env).as_dict(), **extra}
    if theirs is not None:
        case["checkov"] = measure.process(theirs, runs, env).as_dict()
        case["speedup"] = round(case["checkov"]["median_s"] / max(case["ours"]["median_s"], 1e-6), 2)
        case["rss_ratio"] = round(case["checkov"]["peak_rss_mb"] / max(case["ours"]["peak_rss_mb"], 1e-6), 2)
    return case


def _targets(cases: dict[str, Any]) -> dict[str, Any]:
    met: dict[str, Any] = {}
    speedups = [c["speedup"] for name, c in cases.items() if name.startswith("hcl_") and "speedup" in c]
    if speedups:
        met["hcl_vs_checkov_speedup"] = _target(min(speedups), TARGETS["hcl_vs_checkov_speedup_min"], ">=")
    for size, key in ((10_000, "plan_10000_max_s"), (50_000, "plan_50000_max_s")):
        case = cases.get(f"plan_{size}")
        if case:
            met[f"plan_{size}_s"] = _target(case["ours"]["median_s"], TARGETS[key], "<=")
    if "plan_10000" in cases:
        rss = cases["plan_10000"]["ours"]["peak_rss_mb"]
        met["plan_10000_rss_mb"] = _target(rss, TARGETS["plan_10000_max_rss_mb"], "<=")
    if "plan_1000" in cases and "plan_10000" in cases:
        growth = cases["plan_10000"]["ours"]["median_s"] / max(cases["plan_1000"]["ours"]["median_s"], 1e-6)
        met["plan_growth_10x"] = _target(round(growth, 2), TARGETS["plan_growth_10x_max"], "<=")
    if "evidence_staging" in cases:
        met["evidence_s"] = _target(
            cases["evidence_staging"]["ours"]["median_s"], TARGETS["evidence_max_s"], "<="
        )
    return met


def _target(value: float, limit: float, op: str) -> dict[str, Any]:
    ok = value >= limit if op == ">=" else value <= limit
    return {"measured": value, "target": f"{op} {limit}", "met": ok}


def _print_table(cases: dict[str, Any], targets: dict[str, Any]) -> None:
    header = f"{'case':<20} {'ours median (min-max) s':>26} {'RSS MB':>8} {'checkov median s':>17} {'RSS MB':>8} {'speedup':>8}"
    print(header)
    print("-" * len(header))
    for name, case in cases.items():
        mine = case["ours"]
        row = f"{name:<20} {mine['median_s']:>8.3f} ({mine['min_s']:.3f}-{mine['max_s']:.3f}) {mine['peak_rss_mb']:>8.0f}"
        if "checkov" in case:
            theirs = case["checkov"]
            row += f" {theirs['median_s']:>17.3f} {theirs['peak_rss_mb']:>8.0f} {case['speedup']:>7.1f}x"
        print(row)
    for name, target in targets.items():
        print(
            f"target {name}: {target['measured']} (want {target['target']}) {'met' if target['met'] else 'MISSED'}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
