"""What one env's evidence report shows: run metadata, findings, control summary, checkov's second opinion.

Built once per env by the bundle and rendered by html.py (the PDF renders that same HTML), so the two
documents cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from compliance.evidence.controls import FrameworkStatus
from compliance.model import Finding, Rule

# HIPAA 45 CFR 164.316(b)(2)(i): documentation is retained six years from creation or last effective date.
RETENTION_NOTE = (
    "Retain this bundle for at least 6 years from the date it was generated or last in effect, "
    "whichever is later (HIPAA 45 CFR 164.316(b)(2)(i)). Archive the whole folder."
)


def integrity_note(signature: str) -> str:
    """What the bundle's integrity rests on, never claiming a signature that is absent."""
    if signature:
        return (
            f"Signed: manifest.json lists every file's sha256 and manifest.sig is its ed25519 signature by "
            f"the key with public-key fingerprint sha256:{signature}. `python -m compliance verify DIR "
            "--public-key FILE --require-signature` proves that no file was altered since."
        )
    return (
        "NOT SIGNED: no signing key was configured (COMPLIANCE_SIGNING_KEY). manifest.json lists every "
        "file's sha256, but anyone who alters a file can rewrite it too: it shows a change only against a "
        "copy of the manifest kept elsewhere."
    )


@dataclass(frozen=True, slots=True)
class InputDigest:
    kind: (
        str  # "hcl" (a Terraform root directory), "plan" (terraform show -json) or "live" (an applied state)
    )
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RunInfo:
    env: str
    generated_at: str  # ISO 8601 UTC, from SOURCE_DATE_EPOCH when set
    tool_version: str
    git_commit: str | None
    git_dirty: bool | None
    inputs: tuple[InputDigest, ...]
    terraform_version: str | None
    providers: Mapping[str, str]  # provider source -> locked version

    @property
    def plan_sha256(self) -> str | None:
        return next((i.sha256 for i in self.inputs if i.kind == "plan"), None)


@dataclass(frozen=True, slots=True)
class CheckovResult:
    """One checkov check on one resource, with our rule and controls where the correspondence table maps it."""

    check_id: str
    check_name: str
    result: str  # "passed" | "failed" | "skipped"
    resource: str
    file: str
    line: int
    rule_id: str
    controls: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class CheckovReport:
    version: str
    command: tuple[str, ...]
    results: tuple[CheckovResult, ...]
    error: str = ""  # why checkov gave no results, when it failed

    def count(self, result: str) -> int:
        return sum(1 for r in self.results if r.result == result)


@dataclass(frozen=True, slots=True)
class Report:
    run: RunInfo
    rules: tuple[Rule, ...]
    findings: tuple[Finding, ...]
    summary: tuple[FrameworkStatus, ...]
    checkov: CheckovReport | None = None
    signature: str = ""  # the signing key's fingerprint (sign.key_id); "" when the bundle is not signed
