"""Detached ed25519 signatures over manifest.json, keys from the environment.

Keys are given as PEM (PKCS#8 private, SubjectPublicKeyInfo public) or as base64 of the raw 32 bytes, in
COMPLIANCE_SIGNING_KEY (private, for `evidence`) and COMPLIANCE_VERIFY_KEY (public, for `verify`). A key
is never printed; messages name the variable only. Ed25519 signatures are deterministic, so a signed bundle
stays byte-identical across runs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from compliance.model import InputError

SIGNING_KEY_ENV = "COMPLIANCE_SIGNING_KEY"
VERIFY_KEY_ENV = "COMPLIANCE_VERIFY_KEY"
SIGNATURE_FILE = "manifest.sig"


def private_key(text: str, origin: str = SIGNING_KEY_ENV) -> Ed25519PrivateKey:
    """An ed25519 private key from PEM or base64 raw bytes; InputError naming `origin` otherwise."""
    data = text.strip().encode()
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(data, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise InputError(f"{origin}: not an ed25519 private key (PEM or base64 of 32 bytes)") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{origin}: the private key is not an ed25519 key")
    return key


def public_key(text: str, origin: str = VERIFY_KEY_ENV) -> Ed25519PublicKey:
    """An ed25519 public key from PEM or base64 raw bytes; InputError naming `origin` otherwise."""
    data = text.strip().encode()
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise InputError(f"{origin}: not an ed25519 public key (PEM or base64 of 32 bytes)") from error
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{origin}: the public key is not an ed25519 key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """sha256 of the raw public key: names the key in the manifest without being a secret."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def sign(data: bytes, key: Ed25519PrivateKey) -> bytes:
    """The detached signature file's content: base64 of the signature and a newline."""
    return base64.b64encode(key.sign(data)) + b"\n"


def is_valid(data: bytes, signature_file: bytes, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(signature_file.strip(), validate=True), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
