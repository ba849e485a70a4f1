"""The FastAPI app. Run: uvicorn --factory service.main:create_app (settings from the environment)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager

from fastapi import FastAPI

from service import errors, logs, services, telemetry
from service.middleware import RequestContext
from service.routers import health, notes, patients, search, transcripts
from service.settings import Settings

Builder = Callable[[Settings, telemetry.Telemetry], AbstractContextManager[services.Services]]


def create_app(
    settings: Settings | None = None,
    build: Builder = services.build,
    observe: telemetry.Telemetry | None = None,
) -> FastAPI:
    """`build` makes the clients when the app starts; tests pass their own settings (and servers), and
    `observe` to capture spans and metrics (default: from the settings)."""
    config = settings or Settings()
    logs.configure(config.log_level)
    observed = observe or telemetry.build(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            with build(config, observed) as built:
                app.state.services = built
                yield
        finally:
            observed.shutdown()

    app = FastAPI(
        title="NoteGen AI APIs",
        version="1.0.0",
        description="Clinical conversation transcripts to notes: ingest, semantic search, SOAP notes, graph.",
        lifespan=lifespan,
        max_body_size=config.max_request_bytes,
    )
    app.add_middleware(RequestContext)
    errors.install(app)
    for module in (health, transcripts, search, notes, patients):
        app.include_router(module.router)
    observed.instrument(app)
    return app
