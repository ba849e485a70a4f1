"""The configuration contract with Terraform: each field is one environment variable of the task definition.

A field's `deploy` marks what the task definition must do with it: "required" (always provided),
"optional" (may be provided) or "local" (development only, never provided in AWS). A SecretStr field is
provided through the task's `secrets` (Secrets Manager), every other one through `environment`.
tests/test_contract.py holds the Terraform side to exactly this.
"""

from __future__ import annotations

from typing import Any, Literal, cast
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

CANADIAN_REGIONS = ("ca-central-1", "ca-west-1")
WEAK_PASSWORDS = frozenset({"", "neo4j", "password", "changeme", "admin", "test"})
Deploy = Literal["required", "optional", "local"]
LOOPBACK_OTLP = ("http://127.0.0.1:", "http://localhost:")


def setting(default: Any, deploy: Deploy, description: str, **constraints: Any) -> Any:
    """A field of the contract: its deploy marker is kept in the JSON schema, so tools can read it."""
    return Field(default, description=description, json_schema_extra={"deploy": deploy}, **constraints)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, case_sensitive=False, extra="ignore")

    app_env: Literal["development", "staging", "prod"] = setting("development", "required", "the environment")
    aws_region: str = setting("ca-central-1", "required", "AWS region (Canada outside development)")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = setting("INFO", "optional", "log level")
    host: str = setting("0.0.0.0", "optional", "address the server binds (all interfaces in a container)")
    port: int = setting(
        8000, "required", "port the server listens on (the container port)", ge=1024, le=65535
    )

    tls_certificate: SecretStr = setting(
        SecretStr(""), "optional", "PEM certificate (chain) the server presents: HTTPS to the load balancer"
    )
    tls_private_key: SecretStr = setting(SecretStr(""), "optional", "PEM private key of tls_certificate")

    api_clients: SecretStr = setting(
        SecretStr("[]"), "required", 'JSON list of {"client", "scopes", "token_sha256"}: who may call /v1'
    )
    audit_hmac_key: SecretStr = setting(SecretStr(""), "required", "pseudonymises patients in audit records")
    max_request_bytes: int = setting(1_000_000, "optional", "largest request body accepted", ge=1024)

    neo4j_uri: str = setting(
        "bolt://127.0.0.1:7687", "required", "bolt+s:// or neo4j+s:// outside development"
    )
    neo4j_username: SecretStr = setting(SecretStr("neo4j"), "required", "Neo4j user")
    neo4j_password: SecretStr = setting(SecretStr(""), "required", "Neo4j password")
    neo4j_ca_cert: SecretStr = setting(
        SecretStr(""), "optional", "PEM of the CA of Neo4j's certificate (comes with the server's TLS secret)"
    )

    opensearch_endpoint: str = setting("http://127.0.0.1:9200", "required", "https:// outside development")
    opensearch_auth_method: Literal["sigv4", "basic", "none"] = setting(
        "none", "required", "sigv4 outside development"
    )
    opensearch_username: str = setting("", "local", "basic auth user (development only)")
    opensearch_password: SecretStr = setting(SecretStr(""), "local", "basic auth password (development only)")
    opensearch_ca_cert: str = setting("", "local", "PEM of a local node's CA (development only)")
    opensearch_index: str = setting("transcript-chunks", "optional", "k-NN index of the chunks")

    embedding_provider: Literal["minilm", "azure-openai"] = setting("minilm", "required", "embedding model")
    note_generator: Literal["extractive", "azure-openai"] = setting(
        "extractive", "required", "note generator"
    )
    azure_openai_endpoint: str = setting("", "optional", "https://<resource>.openai.azure.com")
    azure_openai_api_key: SecretStr = setting(SecretStr(""), "optional", "Azure OpenAI key")
    azure_openai_api_version: str = setting("2024-10-21", "optional", "Azure OpenAI API version")
    azure_openai_chat_deployment: str = setting("", "optional", "chat model deployment")
    azure_openai_embedding_deployment: str = setting("", "optional", "embedding model deployment")
    azure_openai_embedding_dimensions: int = setting(1536, "optional", "embedding size", ge=64)

    store_timeout_s: float = setting(10.0, "optional", "Neo4j/OpenSearch request timeout", gt=0)
    probe_timeout_s: float = setting(2.0, "optional", "readiness check timeout per store", gt=0)
    ready_cache_s: float = setting(5.0, "optional", "how long a readiness answer is reused", ge=0)

    metrics_sink: Literal["stdout", "collector", "off"] = setting(
        "stdout",
        "optional",
        "where the EMF metric records go: stdout (awslogs), the collector's endpoint, off",
    )
    metrics_endpoint: str = setting(
        "tcp://127.0.0.1:25888",
        "optional",
        "the collector's EMF endpoint (tcp:// or udp://), metrics_sink=collector",
    )
    traces_enabled: bool = setting(True, "optional", "export OpenTelemetry traces to the collector")
    otel_exporter_otlp_endpoint: str = setting(
        "http://127.0.0.1:4317",
        "optional",
        "OTLP gRPC endpoint: the collector sidecar on the task's loopback",
    )
    trace_export_timeout_s: float = setting(5.0, "optional", "OTLP export timeout (background)", gt=0)

    @field_validator("metrics_endpoint")
    @classmethod
    def endpoint_shape(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("tcp", "udp") or not parts.hostname or not parts.port:
            raise ValueError("must be tcp://host:port or udp://host:port")
        return value

    @model_validator(mode="after")
    def refuse_unsafe(self) -> Settings:
        """Outside development: Canada, encrypted transports, signed OpenSearch, real credentials."""
        if self.app_env == "development":
            return self
        problems = []
        if self.aws_region not in CANADIAN_REGIONS:
            problems.append(f"aws_region {self.aws_region} is outside Canada")
        if not self.neo4j_uri.startswith(("bolt+s://", "neo4j+s://")):
            problems.append("neo4j_uri must use an encrypted scheme (bolt+s:// or neo4j+s://)")
        if not self.opensearch_endpoint.startswith("https://"):
            problems.append("opensearch_endpoint must use https://")
        if self.opensearch_auth_method != "sigv4":
            problems.append("opensearch_auth_method must be sigv4 (requests signed with the task role)")
        if self.neo4j_password.get_secret_value().lower() in WEAK_PASSWORDS:
            problems.append("neo4j_password is empty or a well-known default")
        if len(self.audit_hmac_key.get_secret_value()) < 32:
            problems.append("audit_hmac_key must have at least 32 characters")
        if self.traces_enabled and not self.otel_exporter_otlp_endpoint.startswith(LOOPBACK_OTLP):
            problems.append(
                "otel_exporter_otlp_endpoint must be the collector sidecar on loopback (http://127.0.0.1)"
            )
        uses_azure = "azure-openai" in (self.embedding_provider, self.note_generator)
        if uses_azure and not self.azure_openai_endpoint.startswith("https://"):
            problems.append("azure_openai_endpoint must use https://")
        if problems:
            raise ValueError(f"unsafe settings for {self.app_env}: " + "; ".join(problems))
        return self


def env_name(field: str) -> str:
    """The environment variable of a field (no prefix, upper case)."""
    return field.upper()


def contract_fields() -> dict[str, tuple[Deploy, bool]]:
    """ENV_NAME -> (deploy, is_secret) for every setting: what tests/test_contract.py compares."""
    result: dict[str, tuple[Deploy, bool]] = {}
    for name, field in Settings.model_fields.items():
        extra = field.json_schema_extra
        deploy = extra.get("deploy") if isinstance(extra, dict) else None
        if deploy not in ("required", "optional", "local"):
            raise ValueError(f"setting {name} has no deploy marker")
        result[env_name(name)] = (cast(Deploy, deploy), field.annotation is SecretStr)
    return result
