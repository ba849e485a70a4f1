"""Note generators: SOAP sections from a transcript's chunks, through one interface.

ExtractiveGenerator (development, tests) picks sentences by fixed cue words, so the same transcript always
gives the same note. AzureOpenAIGenerator (production) asks a chat deployment for the same JSON shape.
"""

from __future__ import annotations

import json
import re
from typing import Protocol

from openai import AzureOpenAI, OpenAIError

from service.models import Soap

SECTIONS = ("subjective", "objective", "assessment", "plan")
CUES = {
    "plan": (
        "prescribe",
        "start ",
        "follow up",
        "follow-up",
        "recommend",
        "refer",
        "order",
        "schedule",
        "we will",
        "we'll",
        "plan",
        "continue",
        "stop taking",
        "return if",
    ),
    "assessment": (
        "diagnos",
        "likely",
        "consistent with",
        "suggests",
        "assessment",
        "impression",
        "rule out",
        "i think",
        "probably",
    ),
    "objective": (
        "blood pressure",
        "heart rate",
        "temperature",
        "exam",
        "saturation",
        "weight",
        "bpm",
        "mmhg",
        "lungs",
        "auscultation",
        "tender",
        "swelling",
        "lab",
        "result",
    ),
}
SENTENCE = re.compile(r"(?<=[.!?])\s+")


class NoteGenerationError(Exception):
    """The generator could not produce a note (an upstream model failed or answered out of shape)."""


class NoteGenerator(Protocol):
    @property
    def name(self) -> str: ...

    def generate(self, lines: list[str]) -> Soap: ...


def section_of(speaker: str, sentence: str) -> str | None:
    lowered = sentence.lower()
    for section in ("plan", "assessment", "objective"):
        if speaker == "clinician" and any(cue in lowered for cue in CUES[section]):
            return section
    if speaker in ("patient", "caregiver"):
        return "subjective"
    return None


class ExtractiveGenerator:
    name = "extractive-v1"

    def generate(self, lines: list[str]) -> Soap:
        sections: dict[str, list[str]] = {name: [] for name in SECTIONS}
        for line in lines:
            speaker, _, text = line.partition(": ")
            for sentence in SENTENCE.split(text.strip()):
                section = section_of(speaker, sentence)
                if section and sentence and sentence not in sections[section]:
                    sections[section].append(sentence)
        return Soap(**sections)


PROMPT = (
    "You write clinical SOAP notes from a clinician-patient conversation. Answer only with a JSON object "
    'with the keys "subjective", "objective", "assessment" and "plan", each a list of short statements '
    "taken from the conversation. Do not add facts that the conversation does not contain."
)


class AzureOpenAIGenerator:
    """Azure OpenAI chat completions (production)."""

    def __init__(self, client: AzureOpenAI, deployment: str) -> None:
        self.client = client
        self.deployment = deployment
        self.name = f"azure-openai:{deployment}"

    def generate(self, lines: list[str]) -> Soap:
        try:
            response = self.client.chat.completions.create(
                model=self.deployment,
                temperature=0,
                response_format={"type": "json_object"},
                messages=[
                    {"role": "system", "content": PROMPT},
                    {"role": "user", "content": "\n".join(lines)},
                ],
            )
            content = response.choices[0].message.content or ""
            return Soap.model_validate(json.loads(content))
        except (OpenAIError, ValueError, IndexError) as error:
            raise NoteGenerationError(type(error).__name__) from None
