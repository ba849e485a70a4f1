"""What the launchers share about the server processes they start: memory and log tails."""

from __future__ import annotations

from pathlib import Path


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of a process now, in MiB (None when there is no such process)."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def log_tail(path: Path, lines: int) -> str:
    """The last lines of a server's log, and where the whole log is."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:]) + f"\n(full log: {path})"
