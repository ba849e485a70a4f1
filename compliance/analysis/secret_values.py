"""Recognising secrets by name and by value, without ever returning the value.

Names: split into words (snake, kebab, camel case) and matched against secret words (password, token,
api key, ...), unless the last word says the thing is a pointer to a secret (DB_PASSWORD_SECRET_ARN,
token_url, password_length). Values: AWS access key ids, private keys, well-known token formats, and
long high-entropy strings. Functions answer with a description ("an AWS access key id"), never the value.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from compliance.model import Unknown

SECRET_WORDS = frozenset(
    {
        "password",
        "passwords",
        "passwd",
        "passphrase",
        "pwd",
        "secret",
        "secrets",
        "token",
        "tokens",
        "credential",
        "credentials",
        "apikey",
        "privatekey",
        "dsn",
        "auth",
    }
)
SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("signing", "key"),
        ("client", "secret"),
        ("auth", "key"),
        ("master", "key"),
        ("connection", "string"),
    }
)
# A last word that makes the name a pointer to, or a property of, a secret rather than the secret.
POINTER_WORDS = frozenset(
    {
        "arn",
        "arns",
        "id",
        "ids",
        "name",
        "names",
        "length",
        "path",
        "file",
        "url",
        "uri",
        "endpoint",
        "version",
        "ttl",
        "expiry",
        "expiration",
        "rotation",
        "policy",
        "enabled",
        "required",
        "type",
        "prefix",
        "ref",
        "kms",
        "header",
        "parameter",
        "param",
        "valuefrom",
        "window",
        "days",
        "mode",
        "method",
        "scheme",
        "issuer",
        "audience",
        "domain",
        "provider",
    }
)

AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")
PRIVATE_KEY = re.compile(r"-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----")
TOKEN_FORMATS = (
    (re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}"), "a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "a GitLab token"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{20,}"), "an API secret key"),
    (re.compile(r"\b(sk|rk)_live_[A-Za-z0-9]{20,}"), "a Stripe key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), "a Google API key"),
    (re.compile(r"\bhf_[A-Za-z0-9]{30,}"), "a Hugging Face token"),
)
TOKEN_LIKE = re.compile(r"^[A-Za-z0-9+/=_-]{24,}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
AWS_RESOURCE_ID = re.compile(r"^[a-z]+(-[a-z]+)*-[0-9a-f]{8,17}$")
MIN_ENTROPY = 4.0
RANDOM_PASSWORD = "aws_secretsmanager_random_password"

# AWS's documented example keys and emulator fakes: not credentials for any real account.
PLACEHOLDERS = frozenset(
    {"test", "mock", "fake", "dummy", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
)


def words(name: str) -> list[str]:
    """Lower-case words of an identifier: ``dbPassword`` and ``DB_PASSWORD`` both give db, password."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", spaced)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def looks_secret_name(name: str) -> bool:
    """Whether an identifier names a secret value (not a pointer to one, like ``*_secret_arn``)."""
    parts = words(name)
    if not parts or parts[-1] in POINTER_WORDS:
        return False
    if any(part in SECRET_WORDS for part in parts):
        return True
    return any(pair in SECRET_PAIRS for pair in pairwise(parts))


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def secret_value_kind(value: Any) -> str | None:
    """What kind of secret a literal looks like ("an AWS access key id", ...), or None."""
    if not isinstance(value, str) or not value or value in PLACEHOLDERS:
        return None
    if AWS_KEY_ID.search(value):
        return "an AWS access key id"
    if PRIVATE_KEY.search(value):
        return "a private key"
    for pattern, kind in TOKEN_FORMATS:
        if pattern.search(value):
            return kind
    if high_entropy(value):
        return "a high-entropy string"
    return None


def high_entropy(value: str) -> bool:
    """A long token-like string with letters and digits and at least 4 bits of entropy per character,
    which excludes words, hex digests, UUIDs and AWS resource ids."""
    if not TOKEN_LIKE.match(value) or UUID.match(value) or AWS_RESOURCE_ID.match(value):
        return False
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        return False
    return entropy(value) >= MIN_ENTROPY


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value in PLACEHOLDERS


def secret_ref(value: Any) -> str | None:
    """A reference to a secret-looking attribute (``aws_db_instance.x.password``), if the value is one."""
    if not isinstance(value, Unknown):
        return None
    for ref in value.refs:
        if looks_secret_name(ref.rsplit(".", 1)[-1]) or RANDOM_PASSWORD in ref:
            return ref
    return None


def secret_keys(value: Any, prefix: str = "") -> list[str]:
    """Paths of secret-looking keys or secret-looking literals inside a nested value (maps and lists)."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if looks_secret_name(str(key)) and item not in (None, ""):
                found.append(path)
            else:
                found.extend(secret_keys(item, path))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(secret_keys(item, f"{prefix}[{index}]"))
    elif secret_value_kind(value) is not None:
        found.append(prefix or "value")
    return found


# Resource types whose attributes are the secret itself, not a pointer to it.
SECRET_SOURCES = ("random_password.", "tls_private_key.", "aws_iam_access_key.", RANDOM_PASSWORD)
POINTER_VALUE = re.compile(r"^(arn:[^:]*:[a-z0-9-]+:|/[A-Za-z0-9_.\-/]+$|\{\{resolve:(secretsmanager|ssm))")


def pointer_or_null(value: Any, key: str = "") -> bool:
    """Whether a value only points at secrets (or is null): an ARN, an SSM parameter path, a reference to
    a resource that is not itself a secret, or a collection of such (names beside `valueFrom`/ARNs)."""
    if value is None or value == "":
        return True
    if isinstance(value, Unknown):
        secret = secret_ref(value) is not None or any(s in ref for ref in value.refs for s in SECRET_SOURCES)
        return bool(value.refs) and not secret
    if isinstance(value, str):
        return bool(POINTER_VALUE.match(value)) or _pointer_key(key)
    if isinstance(value, Mapping):
        return all(pointer_or_null(item, str(name)) for name, item in value.items())
    if isinstance(value, list | tuple):
        return all(pointer_or_null(item, key) for item in value)
    return isinstance(value, bool | int | float)


def secret_capable(shape: Any, key: str = "") -> bool:
    """Whether a declared variable type (`type_shape` form; None or "any": undeclared) can hold a secret
    string: not when every leaf is a bool or number, or a string under a pointer-named attribute."""
    if shape is None or shape == "any":
        return True
    if shape == "string":
        return not _pointer_key(key)
    if isinstance(shape, Mapping):
        if "object" in shape and isinstance(shape["object"], Mapping):
            return any(secret_capable(inner, str(name)) for name, inner in shape["object"].items())
        if "tuple" in shape and isinstance(shape["tuple"], list):
            return any(secret_capable(inner, key) for inner in shape["tuple"])
        return any(secret_capable(inner, key) for inner in shape.values())
    return False


def _pointer_key(key: str) -> bool:
    """An attribute whose name says it points at a secret (valueFrom, secret_arn, name ...)."""
    parts = words(key)
    return bool(parts) and (parts[-1] in POINTER_WORDS or "".join(parts) in POINTER_WORDS)
