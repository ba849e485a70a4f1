"""Audit records (HIPAA 164.312(b)): who did what to which patient's data, when, and with what outcome.

A separate logger ("notegen.audit") so the records can be routed and kept apart from operational logs.
The patient is named by an HMAC pseudonym: linkable by whoever holds the key, and no PHI in the stream.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC, datetime

AUDIT_LOGGER = "notegen.audit"


class Auditor:
    def __init__(self, key: bytes, logger: logging.Logger | None = None) -> None:
        self.key = key
        self.logger = logger or logging.getLogger(AUDIT_LOGGER)

    def pseudonym(self, patient_ref: str) -> str:
        return hmac.new(self.key, patient_ref.encode(), hashlib.sha256).hexdigest()[:24]

    def record(self, who: str, action: str, patient_ref: str | None, outcome: str, request_id: str) -> None:
        self.logger.info(
            "audit",
            extra={
                "audit": {
                    "who": who,
                    "action": action,
                    "subject": self.pseudonym(patient_ref) if patient_ref else None,
                    "outcome": outcome,
                    "when": datetime.now(UTC).isoformat(),
                    "request_id": request_id,
                }
            },
        )
