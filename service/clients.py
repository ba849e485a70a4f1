"""Builds the process's clients from the settings: one Neo4j driver, one OpenSearch client, one Azure
OpenAI client when used. Called by the lifespan, which closes them on shutdown."""

from __future__ import annotations

import ssl
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3  # type: ignore[import-untyped]  # no stubs installed
import neo4j
from openai import AzureOpenAI
from opensearchpy import AWSV4SignerAuth, OpenSearch, RequestsHttpConnection

from service.settings import Settings


def pem_file(stack: ExitStack, pem: str, name: str) -> Path:
    """A CA bundle as a file (the clients take paths) in a directory removed on shutdown."""
    directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="notegen-ca-")))
    path = directory / f"{name}.pem"
    path.write_text(pem)
    return path


def neo4j_driver(settings: Settings, stack: ExitStack) -> neo4j.Driver:
    uri = settings.neo4j_uri
    options: dict[str, Any] = {
        "connection_timeout": min(settings.store_timeout_s, 5.0),
        "max_transaction_retry_time": settings.store_timeout_s,
        "connection_acquisition_timeout": settings.store_timeout_s,
        "notifications_min_severity": "OFF",  # the server's query hints are for development, not the logs
    }
    scheme = urlsplit(uri).scheme
    ca = settings.neo4j_ca_cert.get_secret_value()
    if ca and scheme.endswith("+s"):
        # A "+s" scheme trusts only the system CAs; the same encryption with a named CA is the plain scheme
        # with an SSL context that trusts that CA (in memory: the root filesystem is read-only on ECS;
        # hostname verification and TLS >= 1.2 stay on).
        uri = urlunsplit(urlsplit(uri)._replace(scheme=scheme[:-2]))
        context = ssl.create_default_context(cadata=ca)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        options["ssl_context"] = context
    auth = (settings.neo4j_username.get_secret_value(), settings.neo4j_password.get_secret_value())
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, **options)
    stack.callback(driver.close)
    return driver


class PinnedConnection(RequestsHttpConnection):
    """requests' transport (what AWSV4SignerAuth signs) that ignores REQUESTS_CA_BUNDLE, proxies and .netrc
    from the environment: the CA, the endpoint and the credentials are the settings' alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session.trust_env = False


def opensearch_client(settings: Settings, stack: ExitStack) -> OpenSearch:
    options: dict[str, Any] = {
        "hosts": [settings.opensearch_endpoint],
        "timeout": settings.store_timeout_s,
        "connection_class": PinnedConnection,
        "verify_certs": settings.opensearch_endpoint.startswith("https://"),
    }
    if settings.opensearch_ca_cert:
        options["ca_certs"] = str(pem_file(stack, settings.opensearch_ca_cert, "opensearch"))
    if settings.opensearch_auth_method == "sigv4":
        # The task role's credentials (refreshed by botocore), every request signed for the "es" service.
        credentials = boto3.Session(region_name=settings.aws_region).get_credentials()
        if credentials is None:
            raise ValueError("opensearch_auth_method is sigv4 but no AWS credentials are available")
        options["http_auth"] = AWSV4SignerAuth(credentials, settings.aws_region, "es")
    elif settings.opensearch_auth_method == "basic":
        options["http_auth"] = (settings.opensearch_username, settings.opensearch_password.get_secret_value())
    client = OpenSearch(**options)
    stack.callback(client.close)
    return client


def azure_openai(settings: Settings, stack: ExitStack) -> AzureOpenAI:
    client = AzureOpenAI(
        api_key=settings.azure_openai_api_key.get_secret_value(),
        azure_endpoint=settings.azure_openai_endpoint,
        api_version=settings.azure_openai_api_version,
        timeout=30.0,
        max_retries=2,
    )
    stack.callback(client.close)
    return client
