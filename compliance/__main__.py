"""`python -m compliance`: see compliance.cli."""

from __future__ import annotations

import sys

from compliance.cli import main

if __name__ == "__main__":
    sys.exit(main())
