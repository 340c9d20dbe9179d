"""Sentence spans of a (folded) text, in its own offsets.

A newline always ends a sentence: scraped news puts one paragraph per line and
headlines carry no full stop. `.`, `!`, `?` and `؟` end one when followed by a space,
except after abbreviations ("U.S.", "Mr.") or before a lower-case continuation.
The Arabic comma and semicolon never do: Arabic prose chains whole paragraphs with them.
A span longer than `MAX_SENTENCE` is cut at its last space before the limit: reading a
sentence costs the square of its length, and text without boundaries (a pasted table, a
hostile message) would otherwise hold the detector for minutes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Longer than any sentence of the real corpora (their longest is under 3,800 characters).
MAX_SENTENCE = 4000
_BOUNDARY = re.compile(r"[.!?؟]+[\"'»”)\]]*(?=\s|$)|\n")
# A dotted capital ("U.S.", "J.") or a short title word before the dot is not an end.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Jr|Sr|No|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|Inc|Corp|Ltd|Co|M|Mme|av|env))\.$"
)


@dataclass(frozen=True)
class Sentences:
    """Sentence spans of one text, ordered and non-overlapping."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def index_at(self, position: int) -> int:
        """Index of the sentence holding a position (the previous one if it falls between)."""
        return max(bisect_right(self.starts, position) - 1, 0)

    def __len__(self) -> int:
        return len(self.starts)


def split_sentences(text: str) -> Sentences:
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group() != "\n" and _continues(text, match.start(), end):
            continue
        _add(text, begin, end, starts, ends)
        begin = end
    _add(text, begin, len(text), starts, ends)
    if not starts:
        starts.append(0)
        ends.append(len(text))
    return Sentences(tuple(starts), tuple(ends))


def _continues(text: str, dot: int, end: int) -> bool:
    if text[dot] == "." and _ABBREVIATION.search(text[max(0, dot - 6) : dot + 1]):
        return True
    following = text[end : end + 3].lstrip(" \t")
    return bool(following) and (following[0].islower() or following[0].isdigit())


def _add(text: str, begin: int, end: int, starts: list[int], ends: list[int]) -> None:
    while begin < end:
        while begin < end and text[begin].isspace():
            begin += 1
        stop = end
        if stop - begin > MAX_SENTENCE:
            space = text.rfind(" ", begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
            stop = space if space > begin else begin + MAX_SENTENCE
        last = stop
        while last > begin and text[last - 1].isspace():
            last -= 1
        if last > begin:
            starts.append(begin)
            ends.append(last)
        begin = stop
