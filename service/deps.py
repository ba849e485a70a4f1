"""Annotated dependency aliases: the lifespan's Services, the caller (bearer token -> Principal, 401/403)
and an audit scope bound to the caller and the request id."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.auth import Principal, Scope
from service.logs import request_id
from service.services import Services

bearer = HTTPBearer(auto_error=False, description="API token (its SHA-256 digest is in API_CLIENTS)")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def authenticate(
    services: ServicesDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    principal = services.verifier.verify(credentials.credentials) if credentials else None
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"}
        )
    return principal


def require(scope: Scope) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if scope not in principal.scopes:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"this client lacks the {scope!r} scope")
        return principal

    return check


@dataclass(frozen=True)
class Audit:
    services: Services
    principal: Principal

    @contextmanager
    def __call__(self, action: str, patient_ref: str | None) -> Iterator[None]:
        """Records the outcome whether the block succeeds or raises."""
        outcome = "error"
        try:
            yield
            outcome = "success"
        finally:
            self.services.auditor.record(
                self.principal.client, action, patient_ref, outcome, request_id.get()
            )


def reader_audit(services: ServicesDep, principal: Annotated[Principal, Depends(require("read"))]) -> Audit:
    return Audit(services, principal)


def writer_audit(services: ServicesDep, principal: Annotated[Principal, Depends(require("write"))]) -> Audit:
    return Audit(services, principal)


def deleter_audit(
    services: ServicesDep, principal: Annotated[Principal, Depends(require("delete"))]
) -> Audit:
    return Audit(services, principal)


ReadAudit = Annotated[Audit, Depends(reader_audit)]
WriteAudit = Annotated[Audit, Depends(writer_audit)]
DeleteAudit = Annotated[Audit, Depends(deleter_audit)]
