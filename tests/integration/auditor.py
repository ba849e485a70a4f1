"""An auditor's credentials on the applied emulator: an IAM user holding only the shipped read-only policy.

With `enforce` on moto, IAM is enforced while the auditor reads (`/moto-api/reset-auth`: from the next
request on, every call is authenticated and authorised against the caller's policies) and switched back
off afterwards, so the session's other tests keep the emulator as they found it. moto rejects the
signature of every EFS and OpenSearch request while enforcing (tests/loaders/test_live_policy.py), so an
enforced read leaves those describers out. LocalStack community does not enforce IAM.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from compliance.loaders.live import Clients
from compliance.loaders.live.account import POLICY
from tests.integration.pipeline import REGION, Pipeline
from tests.loaders.test_live_policy import for_moto

ROOT = Path(__file__).resolve().parents[2]
USER = "compliance-live-auditor"


@contextmanager
def live_auditor(applied: Pipeline, monkeypatch: pytest.MonkeyPatch, enforce: bool) -> Iterator[None]:
    admin = Clients(REGION, applied.endpoint_url)("iam")
    policy = for_moto(json.loads((ROOT / POLICY).read_text()))
    if USER not in {u["UserName"] for u in admin.list_users()["Users"]}:
        admin.create_user(UserName=USER)
    admin.put_user_policy(UserName=USER, PolicyName="live-scan", PolicyDocument=json.dumps(policy))
    for old in admin.list_access_keys(UserName=USER)["AccessKeyMetadata"]:  # IAM allows two keys a user
        admin.delete_access_key(UserName=USER, AccessKeyId=old["AccessKeyId"])
    key = admin.create_access_key(UserName=USER)["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    previous = _reset_auth(applied.endpoint_url, "0") if enforce else None
    try:
        yield
    finally:
        if previous is not None:
            _reset_auth(applied.endpoint_url, previous)


def _reset_auth(endpoint_url: str, count: str) -> str:
    """Set moto's unauthenticated-request allowance; returns the previous one."""
    url = f"{endpoint_url}/moto-api/reset-auth"
    headers = {"Content-Type": "text/plain"}  # moto reads the raw body; a form type would empty it
    request = urllib.request.Request(url, data=count.encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return str(json.loads(answer.read())["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"])
