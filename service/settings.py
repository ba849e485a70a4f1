"""Typed settings from the environment (NOTEGEN_*), refusing unsafe values outside development."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

WEAK_PASSWORDS = frozenset({"", "neo4j", "password", "changeme", "admin", "test"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTEGEN_", frozen=True)

    environment: Literal["development", "staging", "production"] = "development"
    aws_region: str = "ca-central-1"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    opensearch_url: str = "http://127.0.0.1:9200"
    probe_timeout_s: float = 2.0

    @model_validator(mode="after")
    def refuse_unsafe(self) -> Settings:
        """Outside development: Canadian region, encrypted transports, a real password."""
        if self.environment == "development":
            return self
        problems = []
        if self.aws_region not in ("ca-central-1", "ca-west-1"):
            problems.append(f"aws_region {self.aws_region} is outside Canada")
        if not self.neo4j_uri.startswith(("bolt+s://", "neo4j+s://")):
            problems.append("neo4j_uri must use an encrypted scheme (bolt+s:// or neo4j+s://)")
        if not self.opensearch_url.startswith("https://"):
            problems.append("opensearch_url must use https://")
        if self.neo4j_password.get_secret_value().lower() in WEAK_PASSWORDS:
            problems.append("neo4j_password is empty or a well-known default")
        if problems:
            raise ValueError(f"unsafe settings for {self.environment}: " + "; ".join(problems))
        return self
