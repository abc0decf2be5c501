"""What callers hear and read, by id and language; Dutch is the default and the fallback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("nl", "en")
SPEECH_LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}
# Twilio's default voice ("man") speaks no Dutch: every <Say> names a voice of its language.
VOICES = {"nl": "Polly.Lotte", "en": "Polly.Amy"}


@dataclass(frozen=True, slots=True)
class Texts:
    entries: Mapping[str, Mapping[str, str]]

    def get(self, text_id: str, language: str = "nl", **params: object) -> str:
        entry = self.entries[text_id]
        template = entry.get(language) or entry["nl"]
        return template.format(**params)
