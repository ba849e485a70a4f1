"""The image's HEALTHCHECK and the task definition's container healthCheck: GET /livez on the local port.

The slim base has no curl; this uses only the standard library. Exit 0 healthy, 1 not."""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/livez"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
