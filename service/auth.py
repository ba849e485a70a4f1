"""Bearer tokens: the settings hold only SHA-256 digests of the tokens, with each client's scopes.

401 without a valid token, 403 when the client lacks the route's scope. Tokens are compared by digest in
constant time; a token itself is never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter

Scope = Literal["read", "write", "delete"]


class Client(BaseModel):
    client: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    scopes: list[Scope]
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


CLIENTS = TypeAdapter(list[Client])


@dataclass(frozen=True)
class Principal:
    client: str
    scopes: frozenset[str]


class TokenVerifier:
    def __init__(self, clients: list[Client]) -> None:
        self.clients = clients

    @classmethod
    def from_json(cls, text: str) -> TokenVerifier:
        """Refuses a malformed list at startup (a ValueError naming the problem, never the values)."""
        try:
            return cls(CLIENTS.validate_python(json.loads(text)))
        except ValueError as error:
            raise ValueError(f"api_clients is not a valid client list ({type(error).__name__})") from None

    def verify(self, token: str) -> Principal | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = None
        for client in self.clients:
            if hmac.compare_digest(digest, client.token_sha256):
                found = Principal(client.client, frozenset(client.scopes))
        return found


def token_digest(token: str) -> str:
    """What goes into API_CLIENTS for a new token."""
    return hashlib.sha256(token.encode()).hexdigest()
