"""The HCL loader on bad input (loaders/hcl/parse.py and friends): one-line errors naming the file, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance.loaders.hcl import load_hcl
from compliance.loaders.hcl import modules as hcl_modules
from compliance.loaders.hcl import parse as hcl_parse
from compliance.model import Source
from tests.loaders.hcl.support import error_of, load, write


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    assert error_of([tmp_path / "nope"]) == "nope: no such file or directory"
    (tmp_path / "empty").mkdir()
    assert "empty: directory has no Terraform files" in error_of([tmp_path / "empty"])
    os.mkfifo(tmp_path / "pipe.tf")
    assert error_of([tmp_path / "pipe.tf"]) == "pipe.tf: not a regular file or directory"
    write(tmp_path, {"x.txt": "a"})
    assert "x.txt: not a Terraform file" in error_of([tmp_path / "x.txt"])


def test_odd_file_names_stay_on_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"bad\nname.tf": "x = = 1\n"})
    assert error_of([tmp_path]).startswith("bad\\nname.tf:1: invalid HCL")


def test_broken_hcl_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "a" "b" {\n  x = 1\n  y = = 2\n}\n'})
    assert error_of([tmp_path]).startswith("main.tf:3: invalid HCL")
    write(tmp_path, {"main.tf": 'resource "a" "b" {\n  x = 1\n'})
    assert error_of([tmp_path]).startswith("main.tf:")


def test_binary_non_utf8_and_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"main.tf": b"resource\x00\x01\x02"})
    assert error_of([tmp_path]) == "main.tf: binary file (contains NUL bytes), not Terraform"
    write(tmp_path, {"main.tf": b'x = "\xff\xfe"\n'})
    assert error_of([tmp_path]) == "main.tf: not UTF-8 text (byte 5)"
    write(tmp_path, {"main.tf": "a = 1\n" * 100})
    monkeypatch.setattr(hcl_parse, "MAX_FILE_BYTES", 100)
    assert error_of([tmp_path]) == "main.tf: file is 600 bytes, over the 100-byte limit"


def test_invalid_json_and_tfvars(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf.json": '{"resource": '})
    assert error_of([tmp_path]).startswith("main.tf.json:1: invalid JSON")
    (tmp_path / "main.tf.json").unlink()
    write(tmp_path, {"main.tf": "", "terraform.tfvars": "a = \n"})
    assert error_of([tmp_path]).startswith("terraform.tfvars:")
    assert error_of([tmp_path / "main.tf"], var_files=[tmp_path / "nope.tfvars"]).startswith("nope.tfvars:")


def test_duplicate_declarations(tmp_path: Path) -> None:
    write(tmp_path, {"a.tf": 'resource "t_x" "a" {}\n', "b.tf": 'resource "t_x" "a" {}\n'})
    assert error_of([tmp_path]) == "b.tf:1: resource t_x.a is declared twice"


def test_module_source_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"root/main.tf": 'module "m" {\n  source = "../outside"\n}\n', "outside/main.tf": ""})
    message = error_of([tmp_path / "root"], root=tmp_path / "root")
    assert message.startswith("root/main.tf:1: module m: source '../outside' escapes the allowed tree")
    assert load_hcl([tmp_path / "root"], root=tmp_path) == ()

    write(
        tmp_path,
        {
            "cyc/a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "cyc/b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    assert "cyclic module source '../a'" in error_of([tmp_path / "cyc/a"])

    write(tmp_path, {"gone/main.tf": 'module "m" {\n  source = "./missing"\n}\n'})
    assert (
        error_of([tmp_path / "gone"]) == "gone/main.tf:1: module m: source './missing': directory not found"
    )

    write(tmp_path, {"deep/main.tf": 'module "m" {\n  source = "./d"\n}\n'})
    path = tmp_path / "deep"
    for _ in range(4):
        path = path / "d"
        write(path, {"main.tf": 'module "m" {\n  source = "./d"\n}\n'})
    write(path / "d", {"main.tf": ""})
    monkeypatch.setattr(hcl_modules, "MAX_MODULE_DEPTH", 3)
    assert "modules nested deeper than 3" in error_of([tmp_path / "deep"])


def test_symlink_loops(tmp_path: Path) -> None:
    write(tmp_path, {"loop/main.tf": 'module "m" {\n  source = "./self"\n}\n'})
    os.symlink(tmp_path / "loop/self2", tmp_path / "loop/self")
    os.symlink(tmp_path / "loop/self", tmp_path / "loop/self2")
    assert "symlink loop" in error_of([tmp_path / "loop"])
    write(tmp_path, {"files/main.tf": ""})
    os.symlink(tmp_path / "files/b.tf", tmp_path / "files/a.tf")
    os.symlink(tmp_path / "files/a.tf", tmp_path / "files/b.tf")
    assert error_of([tmp_path / "files"]) == "files/a.tf: broken symlink or symlink loop"


def test_deeply_nested_expression_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n  v = ' + "[" * 5000 + "]" * 5000 + "\n}\n"})
    assert error_of([tmp_path]) == "main.tf:2: expression nested too deeply to evaluate"


def test_deeply_nested_blocks_are_bad_input(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "t_x" "a" {\n' + "a {\n" * 3000 + "}\n" * 3000 + "}\n"})
    assert error_of([tmp_path]) == "main.tf: blocks nested too deeply"


def test_parser_falls_back_to_hcl2_when_its_cache_is_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    hcl_parse._parser.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        resources = load(tmp_path, {"main.tf": '\n\nresource "t_x" "late" {\n  v = 1\n}\n'})
    finally:
        monkeypatch.undo()
        hcl_parse._parser.cache_clear()
    assert resources["t_x.late"].source == Source("main.tf", 3)
    assert resources["t_x.late"].values == {"v": 1}
