"""Toolchain discovery: which provider mirror (or none) the CLI configuration names, and which terraform runs."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tools.toolchain import (
    TEMPLATE,
    TERRAFORM_VERSION,
    ToolchainError,
    find_mirror,
    find_terraform,
    install_packages,
    main,
    missing_packages,
    path_with_terraform,
    render_cli_config,
)

AWS = "registry.terraform.io/hashicorp/aws"


def unpacked_mirror(path: Path) -> Path:
    (path / AWS / "5.100.0" / "linux_amd64").mkdir(parents=True)
    return path


def packed_mirror(path: Path) -> Path:
    (path / AWS).mkdir(parents=True)
    (path / AWS / "terraform-provider-aws_5.100.0_linux_amd64.zip").write_bytes(b"zip")
    return path


def rendered(environ: dict[str, str], system: Path, shared: Path) -> dict[str, Any]:
    """The rendered configuration as Terraform's HCL parser (python-hcl2) reads it."""
    text = render_cli_config(find_mirror(environ, system, shared), TEMPLATE.read_text())
    return dict(hcl2.loads(text))


def installation(config: dict[str, Any]) -> dict[str, Any]:
    (block,) = config["provider_installation"]
    return dict(block)


def test_the_explicit_mirror_wins_and_only_its_providers_skip_the_registry(tmp_path: Path) -> None:
    explicit = unpacked_mirror(tmp_path / "explicit")
    config = rendered(
        {"TF_PLUGIN_MIRROR": str(explicit)},
        unpacked_mirror(tmp_path / "opt"),
        packed_mirror(tmp_path / "shared"),
    )
    block = installation(config)
    (mirror,) = block["filesystem_mirror"]
    assert mirror["path"].strip('"') == str(explicit)
    assert [p.strip('"') for p in mirror["include"]] == [AWS]
    (direct,) = block["direct"]
    assert [p.strip('"') for p in direct["exclude"]] == [AWS]  # every other provider: the public registry
    assert config["disable_checkpoint"] is True


def test_the_machine_mirror_comes_before_the_carried_one(tmp_path: Path) -> None:
    system = unpacked_mirror(tmp_path / "opt")
    (mirror,) = installation(rendered({}, system, packed_mirror(tmp_path / "shared")))["filesystem_mirror"]
    assert mirror["path"].strip('"') == str(system)


def test_the_carried_packed_mirror_is_used_when_the_machine_has_none(tmp_path: Path) -> None:
    shared = packed_mirror(tmp_path / "shared")
    (mirror,) = installation(rendered({}, tmp_path / "absent", shared))["filesystem_mirror"]
    assert mirror["path"].strip('"') == str(shared)
    assert [p.strip('"') for p in mirror["include"]] == [AWS]


def test_no_mirror_means_no_provider_installation_block_at_all(tmp_path: Path) -> None:
    (tmp_path / "empty-opt").mkdir()  # an empty mirror folder counts as none
    config = rendered({"TF_PLUGIN_MIRROR": ""}, tmp_path / "empty-opt", tmp_path / "absent")
    assert "provider_installation" not in config
    assert config["disable_checkpoint"] is True


@pytest.mark.parametrize("kind", ["absent", "empty"])
def test_a_bad_explicit_mirror_fails_closed(tmp_path: Path, kind: str) -> None:
    if kind == "empty":
        (tmp_path / kind).mkdir()
    with pytest.raises(ToolchainError, match=f"TF_PLUGIN_MIRROR={tmp_path / kind} "):
        find_mirror({"TF_PLUGIN_MIRROR": str(tmp_path / kind)}, tmp_path / "absent", tmp_path / "absent")


def test_the_command_exits_2_with_one_line_on_a_bad_mirror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path / "absent"))
    assert main(["cli-config", str(tmp_path / "out.tfrc")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: TF_PLUGIN_MIRROR=")
    assert not (tmp_path / "out.tfrc").exists()


def fake_terraform_zip(toolchain: Path) -> None:
    """A stand-in release archive (a shell script named terraform): the real one is 27 MB."""
    folder = toolchain / "terraform"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / f"terraform_{TERRAFORM_VERSION}_linux_amd64.zip", "w") as archive:
        archive.writestr("terraform", "#!/bin/sh\necho carried terraform\n")
        archive.writestr("LICENSE.txt", "license")


def test_terraform_on_path_is_used_as_it_is(tmp_path: Path) -> None:
    on_path = tmp_path / "path-bin"
    on_path.mkdir()
    (on_path / "terraform").write_text("#!/bin/sh\n")
    (on_path / "terraform").chmod(0o755)
    found = find_terraform(
        {"PATH": str(on_path), "TOOLCHAIN_DIR": str(tmp_path / "absent")}, tmp_path / "bin"
    )
    assert found == on_path / "terraform"
    assert not (tmp_path / "bin").exists()


def test_without_terraform_on_path_the_carried_release_is_unzipped_into_build(tmp_path: Path) -> None:
    fake_terraform_zip(tmp_path / "toolchain")
    environ = {"PATH": str(tmp_path / "empty-path"), "TOOLCHAIN_DIR": str(tmp_path / "toolchain")}
    found = find_terraform(environ, tmp_path / "bin")
    assert found == tmp_path / "bin" / "terraform"
    assert (
        subprocess.run([str(found)], capture_output=True, text=True, check=True).stdout
        == "carried terraform\n"
    )
    assert find_terraform(environ, tmp_path / "bin") == found  # once unzipped, reused


def test_without_any_terraform_the_error_names_what_is_missing(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path), "TOOLCHAIN_DIR": str(tmp_path / "absent")}
    with pytest.raises(ToolchainError, match=f"terraform is not on PATH and .*terraform_{TERRAFORM_VERSION}"):
        find_terraform(environ, tmp_path / "bin")


def test_the_terraform_environment_puts_the_discovered_binary_first(tmp_path: Path) -> None:
    fake_terraform_zip(tmp_path / "toolchain")
    environ = {"PATH": "/nothing-here:/usr/bin", "TOOLCHAIN_DIR": str(tmp_path / "toolchain")}
    path = path_with_terraform(environ, tmp_path / "bin")
    assert path == f"{tmp_path / 'bin'}:/nothing-here:/usr/bin"


def test_missing_commands_and_libraries_map_to_their_debian_packages() -> None:
    present = {"java", "setpriv"}
    missing = missing_packages(
        which=lambda command: f"/usr/bin/{command}" if command in present else None,
        find_library=lambda library: "libpango-1.0.so.0" if library == "pango-1.0" else None,
    )
    assert missing == ["iproute2", "libpangoft2-1.0-0", "maven"]
    assert missing_packages(which=lambda c: c, find_library=lambda lib: lib) == []


def test_without_root_the_missing_packages_are_named_not_installed() -> None:
    with pytest.raises(
        ToolchainError, match=r"run as root: apt-get install -y --no-install-recommends maven$"
    ):
        install_packages(["maven"], is_root=False, apt_get="/usr/bin/apt-get")
    install_packages([], is_root=False, apt_get=None)  # nothing missing: nothing to do
