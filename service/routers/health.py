"""/livez answers while the process runs; /readyz checks each dependency and answers 503 if one is down."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from service.deps import ProbesDep

router = APIRouter(tags=["health"])


@router.get("/livez")
def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(probes: ProbesDep, response: Response) -> dict[str, Any]:
    results = [probe.check() for probe in probes]
    ready = all(result.ok for result in results)
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {
        "status": "ready" if ready else "unavailable",
        "checks": {result.name: {"ok": result.ok, "detail": result.detail} for result in results},
    }
