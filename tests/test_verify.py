"""`verify`: a bundle matches its manifest and signature; one changed byte, a missing or an extra file, a
forged manifest or the wrong key all fail; without a key the signature is said to be unchecked."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.cli import main
from compliance.evidence.bundle import write_env
from compliance.evidence.manifest import sha256_file
from compliance.evidence.sign import SIGNATURE_FILE, SIGNING_KEY_ENV, VERIFY_KEY_ENV, key_id

ROOT = Path(__file__).resolve().parent.parent
SEED = bytes(range(32))  # a fixed test key: deterministic signatures


def _pem_private(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _pem_public(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, key: Ed25519PrivateKey) -> Path:
    """A signed bundle of a small env (the ENC001 fixtures), made once; tests work on copies."""
    work = tmp_path_factory.mktemp("verify")
    env = work / "small"
    shutil.copytree(ROOT / "compliance/rules/ENC001_efs_encrypted/fixtures", env)
    (env / "provider.tf").write_text('provider "aws" {\n  region = "ca-central-1"\n}\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        write_env(env, None, work / "out", key=key)
    return work / "out" / "small"


@pytest.fixture
def bundle(signed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (SIGNING_KEY_ENV, VERIFY_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    copy = tmp_path / "small"
    shutil.copytree(signed, copy)
    return copy


@pytest.fixture
def public_key_file(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    path = tmp_path / "evidence.pub"
    path.write_text(_pem_public(key))
    return path


def test_signed_bundle_verifies(
    bundle: Path, key: Ed25519PrivateKey, public_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (bundle / SIGNATURE_FILE).is_file()
    assert main(["verify", str(bundle), "--public-key", str(public_key_file)]) == 0
    assert f"signature OK (ed25519, key sha256 {key_id(key.public_key())})" in capsys.readouterr().out


def test_one_changed_byte_fails(
    bundle: Path, public_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = bundle / "findings.json"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    assert main(["verify", str(bundle), "--public-key", str(public_key_file)]) == 1
    assert "modified file findings.json" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["report.pdf", "controls.csv"])
def test_missing_file_fails(bundle: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / name).unlink()
    assert main(["verify", str(bundle)]) == 1
    assert f"missing file {name}" in capsys.readouterr().err


def test_extra_file_fails(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / "notes.txt").write_text("added later\n")
    assert main(["verify", str(bundle)]) == 1
    assert "extra file notes.txt" in capsys.readouterr().err


def test_forged_manifest_fails_the_signature(
    bundle: Path, public_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changing a file and its hash in the manifest passes the tree check but not the signature."""
    (bundle / "controls.csv").write_text("framework,control\n")
    manifest = bundle / "manifest.json"
    document = json.loads(manifest.read_text())
    document["files"]["controls.csv"]["sha256"] = sha256_file(bundle / "controls.csv")
    manifest.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    assert main(["verify", str(bundle)]) == 0  # without a key only the tree is checked...
    assert main(["verify", str(bundle), "--public-key", str(public_key_file)]) == 1  # ...the key catches it
    assert "BAD signature" in capsys.readouterr().err


def test_wrong_key_fails(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.pub"
    other.write_text(_pem_public(Ed25519PrivateKey.from_private_bytes(bytes(32))))
    assert main(["verify", str(bundle), "--public-key", str(other)]) == 1
    assert "BAD signature" in capsys.readouterr().err


def test_without_a_key_the_signature_is_not_checked_and_says_so(
    bundle: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(bundle)]) == 0
    assert "signature NOT checked (present): no public key" in capsys.readouterr().out
    assert main(["verify", str(bundle), "--require-signature"]) == 1


def test_keys_from_the_environment(
    bundle: Path, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    monkeypatch.setenv(VERIFY_KEY_ENV, base64.b64encode(raw).decode())
    assert main(["verify", str(bundle)]) == 0
    monkeypatch.delenv(VERIFY_KEY_ENV)
    monkeypatch.setenv(SIGNING_KEY_ENV, _pem_private(key))  # the public half of the signing key
    assert main(["verify", str(bundle)]) == 0
    assert capsys.readouterr().out.count("signature OK") == 2


def test_unsigned_bundle_with_a_key_fails(bundle: Path, public_key_file: Path) -> None:
    (bundle / SIGNATURE_FILE).unlink()
    assert main(["verify", str(bundle), "--public-key", str(public_key_file)]) == 1


def test_bad_input_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(tmp_path)]) == 2
    assert "no manifest" in capsys.readouterr().err
    monkeypatch.setenv(VERIFY_KEY_ENV, "not a key")
    (tmp_path / "manifest.json").write_text("{}")
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert VERIFY_KEY_ENV in err and "not a key" not in err  # the variable is named, its value never shown


def test_manifest_names_the_signing_key(signed: Path, key: Ed25519PrivateKey) -> None:
    document = json.loads((signed / "manifest.json").read_text())
    assert document["signature"] == {
        "algorithm": "ed25519",
        "file": SIGNATURE_FILE,
        "key_sha256": key_id(key.public_key()),
    }
