"""/livez answers while the process runs (ALB and container health checks); /readyz checks each store
with a short timeout and a cached answer, 503 when one is down."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from service.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/livez")
def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep, response: Response) -> dict[str, Any]:
    checks = services.readiness.checks()
    ready = all(check.ok for check in checks)
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {
        "status": "ready" if ready else "unavailable",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
