"""Does a reported lifting only ease the measure? Decided by the language's lexicon."""

from __future__ import annotations

import re
from functools import cache

from streams.detect.lexicon import load_lexicon


@cache
def _cues(lang: str) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    cues = load_lexicon(lang).easing
    words = "|".join(re.escape(w.casefold()) for w in cues.words)
    pattern = re.compile(rf"\b(?:{words})\b") if words else None
    return pattern, tuple(s.casefold() for s in cues.stems)


def is_easing(text: str, lang: str) -> bool:
    """Whether `text`, reporting a lifting in `lang`, says it only eases ("some", "eased")."""
    pattern, stems = _cues(lang)
    folded = text.casefold()
    return bool(pattern and pattern.search(folded)) or any(stem in folded for stem in stems)
