"""Where an evidence sentence names its parties, as segments a template marks up.

Events keep the sentence's place in the article but not the words that named each side, so
the names are found again here from the gazetteer's surfaces for the sentence's language
(`streams.reporting.names.party_names`).
The segments are plain strings; the template escapes them, so hostile text stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# One-letter Arabic and Persian clitics written onto the next word: "و" and, "ب" with, ...
_CLITICS = frozenset("وبلفك")


@dataclass(frozen=True)
class Segment:
    text: str
    party: str | None  # the country code a marked stretch names, or None


def _starts_word(text: str, at: int) -> bool:
    if at == 0 or not text[at - 1].isalnum():
        return True
    return text[at - 1] in _CLITICS and (at == 1 or not text[at - 2].isalnum())


def _ends_word(text: str, end: int) -> bool:
    return end >= len(text) or not text[end].isalnum()


def segments(text: str, names: Iterable[tuple[str, str]]) -> list[Segment]:
    """Split `text` at every whole-word occurrence of a (form, code) name, longest first."""
    taken: list[tuple[int, int, str]] = []
    for form, code in sorted(set(names), key=lambda n: -len(n[0])):
        if not form:
            continue
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            free = all(end <= s or at >= e for s, e, _ in taken)
            if free and _starts_word(text, at) and _ends_word(text, end):
                taken.append((at, end, code))
            at = text.find(form, at + 1)
    out: list[Segment] = []
    cursor = 0
    for start, end, code in sorted(taken):
        if start > cursor:
            out.append(Segment(text[cursor:start], None))
        out.append(Segment(text[start:end], code))
        cursor = end
    if cursor < len(text) or not out:
        out.append(Segment(text[cursor:], None))
    return out
