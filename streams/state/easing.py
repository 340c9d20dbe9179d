"""Is a reported lifting only an easing? Decided by the vocabulary in `easing.yaml`."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

VOCABULARY = Path(__file__).with_name("easing.yaml")


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()


@cache
def _cues() -> dict[str, tuple[re.Pattern[str] | None, tuple[str, ...]]]:
    raw = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    out: dict[str, tuple[re.Pattern[str] | None, tuple[str, ...]]] = {}
    for lang, entry in raw.items():
        cues = _Cues.model_validate(entry)
        words = "|".join(re.escape(w.casefold()) for w in cues.words)
        out[str(lang)] = (re.compile(rf"\b(?:{words})\b") if words else None, cues.stems)
    return out


def is_easing(evidence: str, lang: str) -> bool:
    pattern, stems = _cues().get(lang, (None, ()))
    text = evidence.casefold()
    return bool(pattern and pattern.search(text)) or any(stem in text for stem in stems)
