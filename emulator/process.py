"""What the launchers share about the processes they start."""

from __future__ import annotations

from pathlib import Path


def rss_mib(pid: int) -> float | None:
    """Resident memory of process `pid` now, in MiB (None once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None
