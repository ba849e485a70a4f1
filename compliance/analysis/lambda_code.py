"""A Lambda function's code where the configuration shows it: `filename` naming a local file or zip, or a
`data "archive_file"` (source_file, source_dir, inline source content) it was built from; and the
data-store endpoints written in that code.

Read lazily, only when a rule asks about a function with local code, so a root without Lambda pays
nothing. A path is found the way Terraform wrote it: relative to the root (in plan and HCL alike), so it
is tried against the folder of the file that declares the function and against the folders above it
that the path's own leading folders name (`../../modules/rotation/src/x.zip` declared in
`.../modules/rotation/main.tf`).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from compliance.analysis.transit import DATASTORE_HINT, PLAINTEXT_DATASTORE_SCHEMES
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Unknown

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
CODE_SUFFIXES = (
    ".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".go", ".java", ".cs", ".php", ".sh",
    ".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env", ".properties", ".txt",
)  # fmt: skip
URL = re.compile(r"(?i)\b(?:bolt|neo4j)(?:\+s|\+ssc)?://[^\s'\"`<>)]*|\bhttps?://[^\s'\"`<>)]*")
PORT = re.compile(r"^[a-z0-9+.-]+://[^/]*:(\d+)")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A data-store URL written in the code: where, and whether it is plaintext."""

    where: str  # file:line inside the package
    url: str
    plaintext: bool


@dataclass(frozen=True, slots=True)
class Code:
    """The function's visible code: its files (name, text) and where it was read from."""

    origin: str
    files: tuple[tuple[str, str], ...]


def function_code(function: Resource, model: Model) -> Code | Unknown | None:
    """The code of `function`; None when it is not in the configuration (an image, an S3 object), Unknown
    when it should be (a local filename, an archive) but cannot be read."""
    values = function.values
    filename = values.get("filename")
    if filename is None or filename == "":
        return None
    if isinstance(filename, Unknown):
        archives = [r for ref in filename.refs for r in model.resolve(ref) if r.type == "archive_file"]
        if len(archives) != 1:
            return Unknown(reason="filename is not known before apply and names no data.archive_file")
        return _archive(archives[0])
    if not isinstance(filename, str):
        return None
    found = _located(filename, function)
    if found is None:
        return Unknown(reason=f"filename {filename} is not found next to the configuration")
    return _read(found)


def _archive(archive: Resource) -> Code | Unknown:
    """What a data "archive_file" packs: inline source blocks, a source_file, or a source_dir."""
    values = archive.values
    sources = blocks(values, "source")
    if isinstance(sources, list) and sources:
        files = [(str(s.get("filename")), s.get("content")) for s in sources]
        if any(not isinstance(text, str) for _, text in files):
            return Unknown(reason=f"{archive.address}: a source content is not known before apply")
        return Code(archive.address, tuple((name, str(text)) for name, text in files))
    if isinstance(values.get("source_content"), str):
        name = str(values.get("source_content_filename") or "source")
        return Code(archive.address, ((name, str(values["source_content"])),))
    for key in ("source_file", "source_dir"):
        path = values.get(key)
        if isinstance(path, str) and path:
            found = _located(path, archive)
            if found is None:
                return Unknown(reason=f"{archive.address}: {key} {path} is not found")
            return _read(found)
    return Unknown(reason=f"{archive.address}: its sources are not known before apply")


def _located(path: str, resource: Resource) -> Path | None:
    relative = PurePosixPath(path)
    if relative.is_absolute():
        return Path(path) if Path(path).exists() else None
    folder = Path(resource.source.file).parent if resource.source.file else Path(".")
    parts = [p for p in relative.parts if p not in (".", "..")]
    candidates = [folder / path]
    # `../../modules/x/src/a.zip` declared in `<repo>/terraform/modules/x/main.tf`: the folders the path
    # names last are the declaring file's own
    for shared in range(len(folder.parts), 0, -1):
        if list(folder.parts[-shared:]) == parts[:shared]:
            candidates.append(Path(*folder.parts[:-shared], *parts))
    return next((Path(os.path.normpath(c)) for c in candidates if c.exists()), None)


def _read(path: Path) -> Code:
    files: list[tuple[str, str]] = []
    if path.is_dir():
        items = sorted(p for p in path.rglob("*") if p.is_file())
        files = [
            (str(p.relative_to(path)), _text(p.read_bytes()))
            for p in items
            if _wanted(p.name, p.stat().st_size)
        ]
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if _wanted(info.filename, info.file_size) and total + info.file_size <= MAX_TOTAL_BYTES:
                    total += info.file_size
                    files.append((info.filename, _text(archive.read(info))))
    elif path.stat().st_size <= MAX_FILE_BYTES:
        files = [(path.name, _text(path.read_bytes()))]
    return Code(str(path), tuple(files))


def _wanted(name: str, size: int) -> bool:
    return name.lower().endswith(CODE_SUFFIXES) and size <= MAX_FILE_BYTES and "/node_modules/" not in name


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def endpoints(code: Code, settings_ports: Mapping[str, tuple[int, ...]]) -> Iterator[Endpoint]:
    """Data-store URLs in the code: bolt:// and neo4j:// always, http(s):// when the host or a port says
    it is a data store (a name like neo4j or opensearch, or a port of `settings_ports`)."""
    ports = {port for group in settings_ports.values() for port in group}
    for name, text in code.files:
        for number, line in enumerate(text.splitlines(), start=1):
            for match in URL.finditer(line):
                url = match.group(0).rstrip(".,;")
                lowered = url.lower()
                port = PORT.match(lowered)
                datastore = bool(DATASTORE_HINT.search(lowered)) or (
                    port is not None and int(port.group(1)) in ports
                )
                if lowered.startswith(PLAINTEXT_DATASTORE_SCHEMES):
                    yield Endpoint(f"{name}:{number}", url, True)
                elif lowered.startswith(("bolt", "neo4j")) or datastore:
                    yield Endpoint(f"{name}:{number}", url, lowered.startswith("http://"))
