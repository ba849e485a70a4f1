"""Random and mutated plan JSON: wrong types at every key, missing keys, duplicates, truncation."""

from __future__ import annotations

import copy
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.runner import assert_clean, run_cli

SEED: dict[str, Any] = {
    "format_version": "1.2",
    "terraform_version": "1.11.4",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_efs_file_system.e",
                    "mode": "managed",
                    "type": "aws_efs_file_system",
                    "name": "e",
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "schema_version": 0,
                    "values": {"encrypted": True, "kms_key_id": None},
                    "sensitive_values": {},
                }
            ]
        }
    },
    "resource_changes": [
        {
            "address": "aws_efs_file_system.e",
            "mode": "managed",
            "type": "aws_efs_file_system",
            "name": "e",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"encrypted": True, "kms_key_id": None},
                "after_unknown": {"kms_key_id": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        }
    ],
    "configuration": {
        "provider_config": {
            "aws": {"name": "aws", "expressions": {"region": {"constant_value": "ca-central-1"}}}
        },
        "root_module": {
            "resources": [
                {
                    "address": "aws_efs_file_system.e",
                    "mode": "managed",
                    "type": "aws_efs_file_system",
                    "name": "e",
                    "provider_config_key": "aws",
                    "expressions": {"encrypted": {"constant_value": True}},
                }
            ]
        },
    },
}

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def scan_text(text: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        outcome = run_cli(
            "scan", "--plan", str(path), "--format", "json", "--output", str(Path(tmp) / "o.json")
        )
        assert_clean(outcome)
        return outcome.code


def test_seed_is_understood() -> None:
    assert scan_text(json.dumps(SEED)) in (0, 1)


@given(st.data())
def test_wrong_types_and_missing_keys(count_case: Counter[str], data: st.DataObject) -> None:
    count_case["plan mutations"] += 1
    plan = copy.deepcopy(SEED)
    for _ in range(data.draw(st.integers(1, 4))):
        targets = [p for p in paths(plan) if p]
        if not targets:
            break
        path = data.draw(st.sampled_from(targets))
        parent: Any = plan
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON)
    scan_text(json.dumps(plan))


@given(st.integers(0, len(json.dumps(SEED)) - 1))
def test_truncated(count_case: Counter[str], cut: int) -> None:
    count_case["plan truncations"] += 1
    assert scan_text(json.dumps(SEED)[:cut]) == 2


@given(st.integers(2, 50))
def test_duplicate_addresses(count_case: Counter[str], copies: int) -> None:
    count_case["plan duplicates"] += 1
    plan = copy.deepcopy(SEED)
    plan["planned_values"]["root_module"]["resources"] *= copies
    plan["resource_changes"] *= copies
    scan_text(json.dumps(plan))


@given(JSON)
def test_random_json_is_never_a_pass(count_case: Counter[str], value: Any) -> None:
    count_case["plan random"] += 1
    assert scan_text(json.dumps(value)) == 2
