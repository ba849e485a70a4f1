"""How an S3 bucket's default encryption is configured (separate configuration resources or the legacy
inline block), and whether the policy counts a bucket as holding data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compliance.analysis.references import linked
from compliance.analysis.values import blocks
from compliance.model import Model, Resource, Unknown

SSE_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
SSE_CONFIG = "aws_s3_bucket_server_side_encryption_configuration"


def sse_defaults(bucket: Resource, model: Model) -> tuple[list[tuple[str, Mapping[str, Any]]], bool]:
    """(where, apply_server_side_encryption_by_default) pairs that configure the bucket's default
    encryption, from separate configuration resources or the legacy inline block, and whether an
    unresolvable configuration might also apply."""
    configs, maybe = linked(bucket, model, (SSE_CONFIG,), "bucket", (bucket.values.get("bucket"),))
    found = [(config.address, default) for config in configs for default in _defaults(config.values)]
    inline = blocks(bucket.values, "server_side_encryption_configuration")
    if isinstance(inline, Unknown):
        maybe = True
    else:
        found += [("server_side_encryption_configuration", d) for c in inline for d in _defaults(c)]
    return found, maybe


def _defaults(config: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    rules = blocks(config, "rule")
    for rule in rules if isinstance(rules, list) else ():
        defaults = blocks(rule, "apply_server_side_encryption_by_default")
        yield from defaults if isinstance(defaults, list) else ({"sse_algorithm": defaults},)


def non_data_reason(bucket: Resource, model: Model) -> str | None:
    """Why the policy (Settings.non_data_tag / non_data_values) says `bucket` holds no data, or None:
    without that configuration every bucket is a data bucket."""
    settings = model.settings
    tags = bucket.values.get("tags")
    if not settings.non_data_tag or not isinstance(tags, Mapping):
        return None
    value = tags.get(settings.non_data_tag)
    if isinstance(value, str) and value in settings.non_data_values:
        return f"not a data bucket: tagged {settings.non_data_tag} = {value!r} (policy configuration)"
    return None
