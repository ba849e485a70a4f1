"""The image's HEALTHCHECK and the task definition's container healthCheck: GET /livez on the local port
(HTTPS when the server serves TLS).

The slim base has no curl; this uses only the standard library. Exit 0 healthy, 1 not."""

from __future__ import annotations

import os
import ssl
import sys
import urllib.request


def main() -> int:
    tls = bool(os.environ.get("TLS_CERTIFICATE"))
    url = f"{'https' if tls else 'http'}://127.0.0.1:{os.environ.get('PORT', '8000')}/livez"
    # Loopback to our own process: the certificate names the service, not 127.0.0.1, so it is not checked.
    context = ssl._create_unverified_context() if tls else None
    try:
        with urllib.request.urlopen(url, timeout=3, context=context) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
