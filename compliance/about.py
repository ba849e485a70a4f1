"""What the tool calls itself in reports: its distribution name, its home page and its version."""

from __future__ import annotations

from importlib import metadata

TOOL = "notegen-compliance"
# Where users read about the tool (SARIF informationUri). The repository has no published address yet:
# set the real one here when it has.
INFORMATION_URI = "https://github.com/notegen-ai/notegen-ai-apis/tree/main/compliance"


def version() -> str:
    try:
        return metadata.version(TOOL)
    except metadata.PackageNotFoundError:
        return "0+unknown"
