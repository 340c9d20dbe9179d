"""Text folding for matching, with a map back to the original offsets.

Arabic news spells one word many ways (hamza carriers, alef maqsura, ta marbuta,
optional harakat and tatweel, three digit systems). Matching runs on a folded copy;
evidence must quote the original, so every folded position maps back to its source.
Letter substitutions are one-for-one; only the deleted marks shift offsets, and those
shifts are kept as a short list of break points instead of a per-character table.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# One-for-one substitutions: hamza carriers, maqsura, ta marbuta, Persian letters that
# Arabic news borrows, Arabic-Indic and Persian digits, typographic quotes.
_SUBSTITUTE: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    "’": "'",
    "‘": "'",
}
# Persian letters that matching folds to their Arabic forms.
_SUBSTITUTE.update({"ی": "ي", "ک": "ك", "ۀ": "ه"})
for _digit in range(10):
    _SUBSTITUTE[chr(0x0660 + _digit)] = str(_digit)
    _SUBSTITUTE[chr(0x06F0 + _digit)] = str(_digit)
ARABIC_TABLE = str.maketrans(_SUBSTITUTE)
# str.translate with a mapping walks the text one character at a time in Python objects;
# a chain of replace calls on the few characters actually present is ~30x faster.
_REPLACEMENTS: tuple[tuple[str, str], ...] = tuple(_SUBSTITUTE.items())
_LATIN_REPLACEMENTS: tuple[tuple[str, str], ...] = (("’", "'"), ("‘", "'"))
# Cyrillic is matched in lower case with ё written е, as most Russian news writes it.
# Case folding is one-for-one on Cyrillic letters, so offsets stay the source's. (Latin
# case is left to the patterns: "US" and "us" differ.) Lowering would hide where a
# sentence ends (a full stop before a capital), so the space there becomes a no-break
# space: still a space to every pattern, but no lower-case continuation, so the sentence
# ends there; unlike a newline it keeps the paragraph whole. A one-letter word before the
# stop is an initial ("О.").
_CYRILLIC = re.compile("[\u0400-\u042f\u0451]+")
_CYRILLIC_TABLE = str.maketrans({"ё": "е", "Ё": "е"})
_CYRILLIC_SENTENCE = re.compile("(?<=\\w\\w)[.!?…]+[\"'»”)\\]]*( )(?=[\"'«„“(\\[]*[\u0400-\u042f])")


def _substitute(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    for old, new in replacements:
        if old in text:
            text = text.replace(old, new)
    return text


# Marks that carry no letter: harakat, shadda, sukun, dagger alef, maddah and hamza
# signs, tatweel, and the invisible direction and joiner controls editors leave behind.
_DELETED = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+"
)

ARABIC_LETTERS = re.compile("[\u0621-\u064a]")


@dataclass(frozen=True)
class FoldedText:
    """A folded copy of a text; `to_original` turns its positions into the source's."""

    original: str
    folded: str
    # Folded position where a shift starts, and the total shift from there on.
    _breaks: tuple[int, ...] = ()
    _shifts: tuple[int, ...] = ()

    def to_original(self, position: int) -> int:
        if not self._breaks:
            return position
        index = bisect_right(self._breaks, position) - 1
        return position + (self._shifts[index] if index >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a folded span; marks after its last letter stay with it."""
        return self.to_original(start), self.to_original(end)


def fold_arabic(text: str) -> FoldedText:
    """Fold Arabic spelling variants; deleted marks shift offsets, recorded as break points."""
    substituted = _substitute(text, _REPLACEMENTS)
    if not _DELETED.search(substituted):
        return FoldedText(text, substituted)
    pieces: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    kept = 0  # length of the folded text so far
    removed = 0  # characters deleted so far
    last = 0
    for match in _DELETED.finditer(substituted):
        pieces.append(substituted[last : match.start()])
        kept += match.start() - last
        removed += match.end() - match.start()
        breaks.append(kept)
        shifts.append(removed)
        last = match.end()
    pieces.append(substituted[last:])
    return FoldedText(text, "".join(pieces), tuple(breaks), tuple(shifts))


def fold_latin(text: str) -> FoldedText:
    """Latin-script text only needs its quotes unified; case is handled by the patterns.

    Cyrillic letters in it are lowered and ё becomes е (see `_CYRILLIC`).
    """
    return FoldedText(text, _fold_cyrillic(_substitute(text, _LATIN_REPLACEMENTS)))


def _fold_cyrillic(text: str) -> str:
    if not _CYRILLIC.search(text):
        return text
    if _CYRILLIC_SENTENCE.search(text):
        text = _CYRILLIC_SENTENCE.sub(lambda match: match.group()[:-1] + "\u00a0", text)
    return _CYRILLIC.sub(lambda match: match.group().lower().translate(_CYRILLIC_TABLE), text)


def fold_word(word: str) -> str:
    """Fold a lexicon or gazetteer form the same way as article text."""
    return " ".join(_DELETED.sub("", _substitute(word, _REPLACEMENTS)).split())


def fold_word_keeping(word: str, keep: frozenset[str]) -> str:
    """Fold like `fold_word` but leave the letters in `keep` as they are.

    "یا" (Persian "or") and "يا" (Arabic vocative) fold to one word for matching, but
    telling the two languages apart rests on exactly that difference.
    """
    replacements = tuple((old, new) for old, new in _REPLACEMENTS if old not in keep)
    return " ".join(_DELETED.sub("", _substitute(word, replacements)).split())
