"""The FastAPI app. Run: uvicorn service.main:app"""

from __future__ import annotations

from fastapi import FastAPI

from service.routers import health


def create_app() -> FastAPI:
    app = FastAPI(title="NoteGen AI APIs", version="0.1.0")
    app.include_router(health.router)
    return app


app = create_app()
