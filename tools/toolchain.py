"""Find the Terraform toolchain on this machine and render the project's CLI configuration for it.

    python -m tools.toolchain cli-config build/terraform.tfrc   # render terraform/cli.tfrc.in
    python -m tools.toolchain terraform                         # print the terraform to use (unzip it first if needed)
    python -m tools.toolchain system                            # apt-get install what the machine lacks (as root)

terraform: the one on PATH, else build/bin/terraform, unzipped on first use from the carried release
(`../shared/toolchain/terraform/terraform_<version>_linux_amd64.zip`; TOOLCHAIN_DIR overrides `../shared/toolchain`).

Provider mirror: TF_PLUGIN_MIRROR if set (it must exist), else /opt/tf-plugins if it exists, else the carried
packed mirror `../shared/toolchain/terraform` if it exists, else none. With a mirror, exactly the providers it
holds come from it and everything else from the public registry; without one the configuration has no
provider_installation block at all, so `terraform init` uses the public registry as on any user's machine.

Standard library only: the Makefile runs it before the venv exists. Exit 2 with one line on bad input.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "terraform" / "cli.tfrc.in"
BUILD_BIN = ROOT / "build" / "bin"
TERRAFORM_VERSION = "1.11.4"
SYSTEM_MIRROR = Path("/opt/tf-plugins")

# What the gate and the tests need from the system, and the Debian package that brings each.
SYSTEM_COMMANDS = {
    "mvn": "maven",  # resolves the native OpenSearch (and Neo4j) from Maven Central
    "java": "openjdk-17-jre-headless",
    "ss": "iproute2",  # loopback-only checks of the servers the tests start
    "setpriv": "util-linux",  # OpenSearch refuses root: started as nobody
}
SYSTEM_LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0"}  # WeasyPrint (PDF)


class ToolchainError(Exception):
    """A tool is missing or a setting points nowhere: one line for the user."""


def toolchain_dir(environ: Mapping[str, str]) -> Path:
    """The carried toolchain (`../shared/toolchain` beside the project unless TOOLCHAIN_DIR says otherwise)."""
    return Path(environ.get("TOOLCHAIN_DIR") or ROOT.parent / "shared" / "toolchain")


@dataclass(frozen=True)
class Mirror:
    path: Path
    source: str  # how it was chosen, for the set-up's one line
    providers: tuple[str, ...]  # "registry.terraform.io/hashicorp/aws", ...


def mirror_providers(path: Path) -> tuple[str, ...]:
    """HOST/NAMESPACE/TYPE folders of a filesystem mirror (packed or unpacked layout alike)."""
    return tuple(
        sorted(
            "/".join(found.relative_to(path).parts)
            for found in path.glob("*/*/*")
            if found.is_dir() and any(found.iterdir())
        )
    )


def find_mirror(
    environ: Mapping[str, str], system_mirror: Path = SYSTEM_MIRROR, shared: Path | None = None
) -> Mirror | None:
    """The provider mirror to use, in the documented order; None means the public registry only."""
    explicit = environ.get("TF_PLUGIN_MIRROR", "").strip()
    if explicit:
        path = Path(explicit)
        if not path.is_dir():
            raise ToolchainError(f"TF_PLUGIN_MIRROR={explicit} is not a directory")
        candidates = [(path, "TF_PLUGIN_MIRROR")]
    else:
        carried = shared if shared is not None else toolchain_dir(environ) / "terraform"
        candidates = [(system_mirror, "machine mirror"), (carried, "carried packed mirror")]
    for path, source in candidates:
        if path.is_dir():
            providers = mirror_providers(path)
            if providers:
                return Mirror(path.resolve(), source, providers)
            if explicit:
                raise ToolchainError(
                    f"TF_PLUGIN_MIRROR={explicit} holds no provider (HOST/NAMESPACE/TYPE/...)"
                )
    return None


def _hcl_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def render_cli_config(mirror: Mirror | None, template: str) -> str:
    """The CLI configuration: the template with its provider_installation block filled in, or without it."""
    if mirror is None:
        block = "# No provider mirror on this machine: providers come from the public registry.\n"
    else:
        block = (
            f"# Providers in the {mirror.source} come from it; every other provider from the public registry.\n"
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f'    path    = "{mirror.path}"\n'
            f"    include = {_hcl_list(mirror.providers)}\n"
            "  }\n"
            "  direct {\n"
            f"    exclude = {_hcl_list(mirror.providers)}\n"
            "  }\n"
            "}\n"
        )
    if template.count("@PROVIDER_INSTALLATION@") != 1:
        raise ToolchainError(f"{TEMPLATE} must hold @PROVIDER_INSTALLATION@ once")
    return template.replace("@PROVIDER_INSTALLATION@\n", block)


def terraform_zip(environ: Mapping[str, str]) -> Path:
    return toolchain_dir(environ) / "terraform" / f"terraform_{TERRAFORM_VERSION}_linux_amd64.zip"


def find_terraform(environ: Mapping[str, str] = os.environ, bin_dir: Path = BUILD_BIN) -> Path:
    """terraform from PATH, else bin_dir/terraform (unzipped from the carried release on first use)."""
    on_path = shutil.which("terraform", path=environ.get("PATH"))
    if on_path:
        return Path(on_path)
    local = bin_dir / "terraform"
    if local.is_file():
        return local
    archive = terraform_zip(environ)
    if not archive.is_file():
        raise ToolchainError(
            f"terraform is not on PATH and {archive} does not exist: install Terraform {TERRAFORM_VERSION}"
        )
    bin_dir.mkdir(parents=True, exist_ok=True)
    partial = bin_dir / "terraform.partial"
    with zipfile.ZipFile(archive) as zipped, zipped.open("terraform") as source, partial.open("wb") as target:
        shutil.copyfileobj(source, target)
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    partial.rename(local)
    return local


def path_with_terraform(environ: Mapping[str, str], bin_dir: Path = BUILD_BIN) -> str:
    """PATH with the discovered terraform's folder first: the tools' and tests' terraform environments use
    it, so every `terraform` they run is that binary."""
    found = find_terraform(environ, bin_dir)
    return os.pathsep.join([str(found.parent), environ.get("PATH", "")])


def missing_packages(
    which: Callable[[str], str | None] = shutil.which,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[str]:
    """Debian packages to install for the commands and libraries this machine lacks."""
    missing = [package for command, package in SYSTEM_COMMANDS.items() if which(command) is None]
    missing += [package for library, package in SYSTEM_LIBRARIES.items() if find_library(library) is None]
    return sorted(set(missing))


def install_packages(packages: Sequence[str], is_root: bool, apt_get: str | None) -> None:
    """apt-get install the packages as root; anyone else gets the command to run."""
    if not packages:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if not is_root or apt_get is None:
        raise ToolchainError(f"missing system packages; run as root: {' '.join(command)}")
    print(f"installing {' '.join(packages)} with apt-get", flush=True)
    subprocess.run([apt_get, "update", "-qq"], check=True)
    subprocess.run(
        [apt_get, *command[1:]], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )


def write_if_changed(path: Path, text: str) -> bool:
    """Keep the file's timestamp when nothing changed (make then sees nothing new)."""
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.toolchain", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("cli-config", help="render terraform/cli.tfrc.in to OUTPUT")
    render.add_argument("output", type=Path)
    commands.add_parser("terraform", help="print the terraform to use (unzipped into build/bin if needed)")
    commands.add_parser(
        "system", help="apt-get install the system packages the gate and tests need, if missing"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "terraform":
            print(find_terraform())
            return 0
        if args.command == "system":
            install_packages(missing_packages(), os.geteuid() == 0, shutil.which("apt-get"))
            return 0
        mirror = find_mirror(os.environ)
        write_if_changed(args.output, render_cli_config(mirror, TEMPLATE.read_text()))
    except (ToolchainError, OSError, zipfile.BadZipFile, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    where = (
        f"{mirror.source} {mirror.path} ({', '.join(mirror.providers)})"
        if mirror
        else "none (public registry)"
    )
    print(f"{args.output}: provider mirror: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
