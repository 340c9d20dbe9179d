"""Which lexicon an untagged article needs: script first, then stopwords and letters.

Only languages with both a lexicon and a gazetteer are candidates; anything else is
"unsupported" (None), because detecting with the wrong language's rules finds nothing
right. A tag on the article is trusted when its language is supported.

The script is the one most letters of the text's opening belong to. Among the languages
written in it, each scores its stopwords among the text's words, plus the words that
carry a letter its lexicon declares as its own (Persian پ چ ژ گ ی ک among Arabic-script
texts), so a short passage with few stopwords still tells Persian from Arabic; those
letters are not folded when its stopwords are compared ("یا" is not the Arabic "يا"). A
lexicon may also declare its alphabet: a text with other letters of the script
(Ukrainian і ї є among Cyrillic) is not in that language. A Latin
text whose best score is too thin a share of its words is in none of them, and a text in
a script no lexicon writes is unsupported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from models.events import Article
from streams.detect.arabic import fold_latin, fold_word_keeping
from streams.detect.countries import available_languages
from streams.detect.lexicon import available_lexicons, load_lexicon

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 600  # characters read to decide: a paragraph is plenty, and the cost is per article
_SCRIPT_SAMPLE = 200  # characters read to tell the script
_MIN_HITS = 1  # stopwords a Latin-script text must show to be called
# A Latin-script text of this many words must show its language's stopwords at that share:
# many unsupported languages write Latin, and English stopwords in German text stay below
# it. A text in a script of its own (Arabic, Cyrillic) is that script's best-scoring
# language, Arabic before Persian on a tie: its stopwords are often glued to other words.
_LONG = 30
_MIN_SHARE = 0.08
_LETTER_WEIGHT = 0.5  # a word with one of a language's own letters, against a stopword
_FOREIGN_SHARE = 0.01  # letters of the script outside a language's alphabet it tolerates
_LETTERS = frozenset({"Lu", "Ll", "Lo"})
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "arabic": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f]"),
}


@cache
def supported_languages() -> tuple[str, ...]:
    return tuple(sorted(set(available_lexicons()) & set(available_languages())))


def _fold(word: str, script: str, own: frozenset[str] = frozenset()) -> str:
    """How a word is compared: the letters a language declares its own are not folded."""
    if script == "arabic":
        return fold_word_keeping(word, own)
    return fold_latin(word).folded.casefold()


@dataclass(frozen=True)
class _Profile:
    script: str
    stopwords: frozenset[str]
    letters: frozenset[str]
    alphabet: frozenset[str]


@cache
def _profiles() -> dict[str, _Profile]:
    profiles: dict[str, _Profile] = {}
    for lang in supported_languages():
        lexicon = load_lexicon(lang)
        own = frozenset(lexicon.letters)
        words = frozenset(_fold(word, lexicon.script, own) for word in lexicon.stopwords)
        alphabet = frozenset(lexicon.alphabet.lower() + lexicon.alphabet.upper())
        profiles[lang] = _Profile(lexicon.script, words, own, alphabet)
    return profiles


def _foreign(characters: Counter[str], script: str, alphabet: frozenset[str]) -> bool:
    """The text writes letters of its script that the language's alphabet lacks."""
    if not alphabet:
        return False
    pattern = _SCRIPTS[script]
    letters = {c: n for c, n in characters.items() if pattern.match(c)}
    # Modifier letters (the Arabic tatweel that stretches a word) are no letters of a language.
    outside = sum(
        count
        for letter, count in letters.items()
        if letter not in alphabet and unicodedata.category(letter) in _LETTERS
    )
    return outside > _FOREIGN_SHARE * max(sum(letters.values()), 1)


def script_of(text: str) -> str | None:
    """The script most letters of the text's opening are written in, or None."""
    # Characters are counted once, in C; each distinct one is then placed in its script.
    characters = Counter(text[:_SCRIPT_SAMPLE])
    counts = {
        script: sum(n for c, n in characters.items() if pattern.match(c))
        for script, pattern in _SCRIPTS.items()
    }
    script, count = max(sorted(counts.items()), key=lambda item: item[1])
    return script if count else None


def identify(
    text: str, script: str | None = None, among: Collection[str] | None = None
) -> str | None:
    """Language of a text among the supported ones (or only those `among`), or None.

    `script`, when known, saves telling it again. Where one candidate of a non-Latin
    script is left and the text keeps to its alphabet, it is the answer without scoring;
    Latin-script text must always show enough stopwords (German is no English).
    """
    script = script or script_of(text)
    if script is None:
        return None
    sample = text[:_SAMPLE]
    characters = Counter(sample)
    candidates = {
        lang: profile
        for lang, profile in _profiles().items()
        if profile.script == script
        and (among is None or lang in among)
        and not _foreign(characters, script, profile.alphabet)
    }
    if not candidates:
        return None
    if script != "latin" and len(candidates) > 1:
        # Outside the Latin script a language that declares its own letters writes them
        # (Persian پ چ ژ گ ی ک): one none of whose letters appears is passed over. Latin
        # languages may go a whole passage without theirs (Spanish without ñ).
        marked = {
            lang: profile
            for lang, profile in candidates.items()
            if not profile.letters or not characters.keys().isdisjoint(profile.letters)
        }
        candidates = marked or candidates
    if len(candidates) == 1 and script != "latin":
        return next(iter(candidates))
    # Fold before splitting (harakat would cut an Arabic word in two), keeping every
    # candidate's own letters for now.
    kept = frozenset().union(*(profile.letters for profile in candidates.values()))
    raw = _WORD.findall(fold_word_keeping(sample, kept) if script == "arabic" else sample)
    if not raw:
        return None
    scores: dict[str, float] = {}
    for lang, profile in candidates.items():
        # The whole sample is folded once per candidate, then split: folding word by word
        # cost more than all of detection.
        tokens = _WORD.findall(_fold(sample, script, profile.letters))
        hits: float = sum(map(profile.stopwords.__contains__, tokens))
        if profile.letters:
            own = set(profile.letters)
            hits += _LETTER_WEIGHT * sum(1 for token in raw if not own.isdisjoint(token))
        scores[lang] = hits
    lang, hits = max(sorted(scores.items()), key=lambda item: item[1])
    if script == "latin" and (
        hits < _MIN_HITS or (len(raw) >= _LONG and hits < _MIN_SHARE * len(raw))
    ):
        return None
    return lang


def tagged_language(article: Article) -> str | None:
    """The article's own language tag, when it names a supported language."""
    if article.lang:
        tag = article.lang.split("-", 1)[0].split("_", 1)[0].casefold()
        if tag in supported_languages():
            return tag
    return None


def languages_of_script(script: str) -> tuple[str, ...]:
    return tuple(lang for lang, profile in _profiles().items() if profile.script == script)
