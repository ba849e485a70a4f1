"""Secrets Manager rotation function (the four-step protocol) for NoteGen's secrets.

Strategy by the secret's `RotationStrategy` tag:
- `neo4j`: generate a password inside AWS (GetRandomPassword), set it in Neo4j over its HTTPS API
  (ALTER CURRENT USER; TLS >= 1.2, the server's certificate verified against the CA in the Neo4j TLS
  secret, hostname checked), check a login with it, then promote it.
- `external`: keys issued by a vendor (Azure OpenAI, Langfuse) cannot be minted here. An operator stages
  the vendor's new key as AWSPENDING; the schedule then tests and promotes it. With nothing staged the
  rotation fails on purpose, so the Lambda error alarm tells the team a key is due.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import urllib.request
from typing import Any

import boto3

sm = boto3.client("secretsmanager")


def lambda_handler(event: dict[str, Any], context: object) -> None:
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    meta = sm.describe_secret(SecretId=arn)
    if not meta.get("RotationEnabled"):
        raise ValueError(f"rotation is not enabled for {arn}")
    stages = meta.get("VersionIdsToStages", {}).get(token)
    if stages is None:
        raise ValueError(f"version {token} is not staged on {arn}")
    if "AWSCURRENT" in stages:
        return
    strategy = {t["Key"]: t["Value"] for t in meta.get("Tags", [])}.get("RotationStrategy", "external")
    if step == "createSecret":
        create(arn, token, strategy)
    elif step == "setSecret":
        if strategy == "neo4j":
            set_neo4j(arn, token)
    elif step == "testSecret":
        test(arn, token, strategy)
    elif step == "finishSecret":
        finish(arn, token, meta)
    else:
        raise ValueError(f"unknown step {step}")


def value(arn: str, stage: str, token: str | None = None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"SecretId": arn, "VersionStage": stage}
    if token:
        kwargs["VersionId"] = token
    return dict(json.loads(sm.get_secret_value(**kwargs)["SecretString"]))


def create(arn: str, token: str, strategy: str) -> None:
    try:
        value(arn, "AWSPENDING", token)
        return  # already created (or staged by an operator for an external key)
    except sm.exceptions.ResourceNotFoundException:
        pass
    if strategy != "neo4j":
        raise RuntimeError(f"{arn}: stage the vendor's new key as AWSPENDING, then rotate again")
    current = value(arn, "AWSCURRENT")
    password = sm.get_random_password(PasswordLength=32, ExcludePunctuation=True)["RandomPassword"]
    new = {**current, "password": password, "auth": f"{current['username']}/{password}"}
    sm.put_secret_value(
        SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(new), VersionStages=["AWSPENDING"]
    )


def neo4j_tls() -> ssl.SSLContext:
    """Verify Neo4j's certificate against the CA of the Neo4j TLS secret (its ca_certificate)."""
    ca = value(os.environ["NEO4J_CA_SECRET_ARN"], "AWSCURRENT")["ca_certificate"]
    context = ssl.create_default_context(cadata=ca)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def neo4j_call(user: str, password: str, statement: str, params: dict[str, str]) -> None:
    url = os.environ["NEO4J_HTTPS_URL"].rstrip("/") + "/db/system/tx/commit"
    if not url.startswith("https://"):
        raise RuntimeError("NEO4J_HTTPS_URL must be https://: Neo4j is reached over TLS only")
    body = json.dumps({"statements": [{"statement": statement, "parameters": params}]}).encode()
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json", "Authorization": f"Basic {auth}"}
    )
    with urllib.request.urlopen(request, timeout=10, context=neo4j_tls()) as response:
        errors = json.loads(response.read()).get("errors")
    if errors:
        raise RuntimeError(f"neo4j refused the statement: {errors[0].get('code')}")


def set_neo4j(arn: str, token: str) -> None:
    current, pending = value(arn, "AWSCURRENT"), value(arn, "AWSPENDING", token)
    try:
        neo4j_call(pending["username"], pending["password"], "SHOW CURRENT USER", {})
        return  # already set
    except Exception:  # the pending password does not work yet: set it
        pass
    neo4j_call(
        current["username"],
        current["password"],
        "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
        {"old": current["password"], "new": pending["password"]},
    )


def test(arn: str, token: str, strategy: str) -> None:
    pending = value(arn, "AWSPENDING", token)
    if strategy == "neo4j":
        neo4j_call(pending["username"], pending["password"], "SHOW CURRENT USER", {})
    elif not all(isinstance(v, str) and v for v in pending.values()):
        raise RuntimeError(f"{arn}: the staged value has empty fields")


def finish(arn: str, token: str, meta: dict[str, Any]) -> None:
    for version, stages in meta.get("VersionIdsToStages", {}).items():
        if "AWSCURRENT" in stages and version != token:
            sm.update_secret_version_stage(
                SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=version
            )
            return
