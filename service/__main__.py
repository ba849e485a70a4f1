"""The container's command: `python -m service` serves the app on HOST:PORT from the settings.

uvicorn's access log is off: it prints raw paths, which carry patient references; the app logs each
request itself with the route template (service/middleware.py)."""

from __future__ import annotations

import sys

import uvicorn
from pydantic import ValidationError

from service.main import create_app
from service.settings import Settings


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        print(f"error: invalid settings: {problems}", file=sys.stderr)
        return 2
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=True,
        log_config=None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
