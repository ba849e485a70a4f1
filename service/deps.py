"""Annotated dependency aliases; tests swap them with app.dependency_overrides."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import Depends

from service.probes import Probe, default_probes
from service.settings import Settings


@cache
def get_settings() -> Settings:
    return Settings()


def get_probes(settings: Annotated[Settings, Depends(get_settings)]) -> tuple[Probe, ...]:
    return default_probes(settings)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProbesDep = Annotated[tuple[Probe, ...], Depends(get_probes)]
