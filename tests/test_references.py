"""Companion resources find their target by reference or by literal name, and say when they cannot tell."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.analysis.references import companions, names
from compliance.model import Model, Origin, Resource, Source, Unknown


def resource(address: str, values: Mapping[str, Any]) -> Resource:
    kind, name = address.split(".")[-2:]
    return Resource(
        address=address,
        mode="managed",
        type=kind,
        name=name,
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values=values,
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


BUCKET = resource("aws_s3_bucket.notes", {"bucket": "notes", "id": Unknown()})
OTHER = resource("aws_s3_bucket.other", {"bucket": "other"})
MODEL = Model((BUCKET, OTHER))


def test_by_reference() -> None:
    assert names(Unknown(("aws_s3_bucket.notes.id",)), BUCKET, MODEL) is True
    assert names(Unknown(("aws_s3_bucket.other",)), BUCKET, MODEL) is False
    assert names(Unknown(), BUCKET, MODEL) is None


def test_by_literal_name() -> None:
    assert names("notes", BUCKET, MODEL, keys=("bucket",)) is True
    assert names("elsewhere", BUCKET, MODEL, keys=("bucket",)) is False
    assert names(None, BUCKET, MODEL) is False
    # the target's id is known only after apply: a literal id may or may not be it
    assert names("notes-123", BUCKET, MODEL, keys=("id",)) is None


def test_companions_keep_possible_matches() -> None:
    versioning = resource("aws_s3_bucket_versioning.v", {"bucket": Unknown(("aws_s3_bucket.notes",))})
    elsewhere = resource("aws_s3_bucket_versioning.w", {"bucket": "other"})
    model = Model((BUCKET, OTHER, versioning, elsewhere))
    found = list(companions(BUCKET, model, "aws_s3_bucket_versioning", "bucket", keys=("bucket",)))
    assert found == [(versioning, True)]
