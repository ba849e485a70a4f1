"""`verify BUNDLE_DIR`: recompute a bundle's manifest and check its detached signature.

Fails (exit 1) on any modified, missing or extra file, and on a bad signature when a public key is given
(--public-key FILE, else COMPLIANCE_VERIFY_KEY, else the public half of COMPLIANCE_SIGNING_KEY). Without a
key the files are still checked against the manifest, and the output says plainly that the signature was
not checked; --require-signature turns that into a failure. Exit 2 on unusable input (no manifest, bad
key).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from compliance.evidence import manifest
from compliance.evidence.sign import (
    SIGNATURE_FILE,
    SIGNING_KEY_ENV,
    VERIFY_KEY_ENV,
    is_valid,
    key_id,
    private_key,
    public_key,
)
from compliance.model import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "bundles", nargs="+", type=Path, help="evidence bundle folders (reports/evidence/<env>)"
    )
    parser.add_argument(
        "--public-key", type=Path, help=f"ed25519 public key file (default: ${VERIFY_KEY_ENV})"
    )
    parser.add_argument(
        "--require-signature", action="store_true", help="fail when the signature cannot be checked"
    )


def run(args: argparse.Namespace) -> int:
    key = verification_key(args.public_key, os.environ)
    results = [verify(folder, key, args.require_signature) for folder in args.bundles]
    for lines in results:
        for line in lines[1]:
            print(line, file=sys.stdout if lines[0] else sys.stderr)
    return 0 if all(ok for ok, _ in results) else 1


def verification_key(path: Path | None, environ: Mapping[str, str]) -> Ed25519PublicKey | None:
    if path is not None:
        try:
            return public_key(path.read_text(), str(path))
        except OSError as error:
            raise InputError(f"{path}: cannot read public key ({error.strerror or error})") from error
    if environ.get(VERIFY_KEY_ENV, "").strip():
        return public_key(environ[VERIFY_KEY_ENV], VERIFY_KEY_ENV)
    if environ.get(SIGNING_KEY_ENV, "").strip():
        return private_key(environ[SIGNING_KEY_ENV], SIGNING_KEY_ENV).public_key()
    return None


def verify(folder: Path, key: Ed25519PublicKey | None, require_signature: bool) -> tuple[bool, list[str]]:
    """(ok, report lines) for one bundle."""
    document = manifest.read(folder)
    tree = manifest.check_tree(folder, document)
    lines = [f"{folder}: {kind} file {name}" for kind, names in _problems(tree) for name in names]
    ok = tree.ok
    signature = folder / SIGNATURE_FILE
    if key is None:
        state = "present" if signature.is_file() else "absent"
        lines.append(
            f"{folder}: signature NOT checked ({state}): no public key "
            f"(give --public-key FILE or set {VERIFY_KEY_ENV})"
        )
        ok = ok and not require_signature
    elif not signature.is_file():
        lines.append(f"{folder}: {SIGNATURE_FILE} is missing: the bundle is not signed")
        ok = False
    elif not is_valid((folder / manifest.MANIFEST_FILE).read_bytes(), signature.read_bytes(), key):
        lines.append(f"{folder}: BAD signature for key sha256 {key_id(key)}")
        ok = False
    else:
        lines.append(f"{folder}: signature OK (ed25519, key sha256 {key_id(key)})")
    count = len(document["files"])
    lines.append(f"{folder}: {'OK' if ok else 'FAILED'}: {count} files listed in {manifest.MANIFEST_FILE}")
    return ok, lines


def _problems(tree: manifest.TreeCheck) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return (("modified", tree.modified), ("missing", tree.missing), ("extra", tree.extra))
