"""Pure: an article's text → word shingles → MinHash signature → LSH band keys.

Two copies of one story share most of their word runs even when an outlet rewrites the
headline or trims a paragraph; two reports of one event written apart share names and
dates but few runs of four words. The text is folded as the detector folds it
(`streams.detect.arabic`), so a copy that differs only in hamza carriers, harakat, tatweel
or digit system is the same copy. Only the body is shingled: headlines are what outlets
rewrite first.

The signature is datasketch's MinHash with fixed seed and permutations, so every worker
and every restart computes the same values for the same text; the band keys are what the
LSH index in PostgreSQL is keyed by (`story_repository`).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from streams.detect.arabic import ARABIC_LETTERS, fold_arabic, fold_latin

SHINGLE_WORDS = 4
NUM_PERM = 128
# 32 bands of 4 rows: a pair at Jaccard 0.5 becomes a candidate with p ≈ 0.87, at 0.3 with
# p ≈ 0.23; candidates are then judged on the whole signature (`SAME_STORY`).
BANDS = 32
ROWS = NUM_PERM // BANDS
# Estimated Jaccard of the shingle sets at or above which two articles are one story.
SAME_STORY = 0.5
# Fewer shingles than this (a caption, a one-line brief) is too little text to call a copy.
MIN_SHINGLES = 8
_SEED = 13
# Which characters of the first plane make words, as the regular expression `\w` says;
# looked up for a whole text at once, where a regular expression is slower than the rest.
_PLANE = 0xFFFF
_WORD_CHARACTER = np.array(
    [bool(re.fullmatch(r"\w", chr(c))) for c in range(_PLANE)] + [True], dtype=bool
)
# Odd, so it has an inverse mod 2**64; the high half of a product is the well-mixed half.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_BASE_INVERSE = np.uint64(pow(0x9E3779B97F4A7C15, -1, 2**64))
_HIGH = np.uint64(32)
_SHIFT = np.uint64(33)
_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
# Built once: MinHash draws its permutations from the seed on every construction otherwise.
_SCHEME = "affine32"  # 32-bit values: a signature is 512 bytes in PostgreSQL
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=int, scheme=_SCHEME)
_PERMUTATIONS = _TEMPLATE.permutations
_PACK = struct.Struct(f"<{NUM_PERM}I")


def folded(text: str) -> str:
    """The text folded as the detector folds it, and lower-cased."""
    fold = fold_arabic if ARABIC_LETTERS.search(text[:2000]) else fold_latin
    return fold(text).folded.lower()


def word_hashes(text: str) -> np.ndarray:
    """One 32-bit hash per word of the folded text, in order.

    A polynomial hash over the code points, taken for every word at once from prefix sums
    (arithmetic mod 2**64, where an odd base has an inverse): hashing word by word in
    Python cost more than the rest of the signature together.
    """
    points = np.frombuffer(f" {folded(text)} ".encode("utf-32-le"), dtype=np.uint32)
    # Beyond the first plane (emoji, rare scripts) every character counts as a letter.
    space = ~_WORD_CHARACTER[np.minimum(points, _PLANE)]
    points = points.astype(np.uint64)
    starts = np.flatnonzero(space[:-1] & ~space[1:]) + 1
    ends = np.flatnonzero(~space[:-1] & space[1:]) + 1
    powers = np.full(len(points), _BASE, dtype=np.uint64)
    powers[0] = 1
    powers = np.cumprod(powers)
    inverse = np.full(len(points), _BASE_INVERSE, dtype=np.uint64)
    inverse[0] = 1
    inverse = np.cumprod(inverse)
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(points * powers, out=prefix[1:])
    return _mix((prefix[ends] - prefix[starts]) * inverse[starts]) >> _HIGH


def shingles(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct hashes (unsigned 32-bit) of every run of `size` consecutive words; the
    whole text is one run when it is shorter."""
    hashed = word_hashes(text)
    if not len(hashed):
        return hashed
    size = min(size, len(hashed))
    runs = np.zeros(len(hashed) - size + 1, dtype=np.uint64)
    for offset in range(size):
        runs = runs * _BASE + hashed[offset : offset + len(runs)]
    unique: np.ndarray = np.unique(_mix(runs) >> _HIGH)
    return unique


def _mix(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: every input bit reaches the high half, which a short
    word's polynomial alone (one letter is its own code point) would leave empty."""
    values = values ^ (values >> _SHIFT)
    values = values * _MIX_1
    values = values ^ (values >> _SHIFT)
    values = values * _MIX_2
    mixed: np.ndarray = values ^ (values >> _SHIFT)
    return mixed


@dataclass(frozen=True)
class Signature:
    """The MinHash values of one text (unsigned 32-bit) and how many shingles it had."""

    values: tuple[int, ...]
    shingles: int

    @property
    def judgeable(self) -> bool:
        return self.shingles >= MIN_SHINGLES

    def to_bytes(self) -> bytes:
        return _PACK.pack(*self.values)

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        return cls(tuple(_PACK.unpack(data)), shingles)

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        same = sum(1 for a, b in zip(self.values, other.values, strict=True) if a == b)
        return same / NUM_PERM

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per band: equal keys, equal rows in that band."""
        keys = []
        for band in range(BANDS):
            rows = self.values[band * ROWS : (band + 1) * ROWS]
            digest = zlib.crc32(struct.pack(f"<{ROWS}I", *rows))
            # The band's number in the high bits: equal rows in different bands are no match.
            key = (band << 32) | digest
            keys.append(key - (1 << 63) if key >= 1 << 63 else key)
        return keys


def signature(text: str) -> Signature:
    found = shingles(text)
    # The shingles come hashed already, so datasketch takes them as they are (`int`).
    minhash = MinHash(
        num_perm=NUM_PERM, seed=_SEED, hashfunc=int, permutations=_PERMUTATIONS, scheme=_SCHEME
    )
    if len(found):
        minhash.update_batch(found.tolist())
    values: np.ndarray = minhash.digest()
    return Signature(tuple(values.tolist()), len(found))


def closest(sig: Signature, candidates: Sequence[tuple[str, Signature]]) -> str | None:
    """The key of the most similar candidate at or above `SAME_STORY`; ties go to the
    first given, so the caller orders candidates by age."""
    best, best_score = None, SAME_STORY
    for key, other in candidates:
        score = sig.similarity(other)
        if score > best_score or (best is None and score >= SAME_STORY):
            best, best_score = key, score
    return best
