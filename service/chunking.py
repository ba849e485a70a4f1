"""Speaker turns -> chunks of about `max_words` words, each line "speaker: text", in transcript order."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from service.models import TranscriptIn

NAMESPACE = uuid.UUID("6f6e6f74-6567-656e-2d74-72616e736372")


@dataclass(frozen=True)
class Chunk:
    position: int
    speaker: str
    text: str


def transcript_id(transcript: TranscriptIn) -> str:
    """The same transcript of the same encounter always gets the same id: ingesting it again is a no-op."""
    digest = hashlib.sha256(transcript.model_dump_json(include={"turns"}).encode()).hexdigest()
    return str(uuid.uuid5(NAMESPACE, f"{transcript.patient_ref}|{transcript.encounter_ref}|{digest}"))


def pieces(speaker: str, text: str, max_words: int) -> list[tuple[str, list[str]]]:
    words = text.split()
    return [(speaker, words[i : i + max_words]) for i in range(0, len(words), max_words)]


def chunk_turns(transcript: TranscriptIn, max_words: int = 80) -> list[Chunk]:
    chunks: list[Chunk] = []
    lines: list[str] = []
    speakers: list[str] = []
    count = 0

    def flush() -> None:
        nonlocal lines, speakers, count
        if lines:
            speaker = speakers[0] if len(set(speakers)) == 1 else "mixed"
            chunks.append(Chunk(len(chunks), speaker, "\n".join(lines)))
        lines, speakers, count = [], [], 0

    for turn in transcript.turns:
        for speaker, words in pieces(turn.speaker, turn.text, max_words):
            if count + len(words) > max_words:
                flush()
            lines.append(f"{speaker}: {' '.join(words)}")
            speakers.append(speaker)
            count += len(words)
    flush()
    return chunks
