"""Fixtures of the loader tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from compliance.loaders.live import Clients

REGION = "ca-central-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clients]:
    """Clients on moto in-process (no endpoint, test credentials)."""
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        yield Clients(REGION)
