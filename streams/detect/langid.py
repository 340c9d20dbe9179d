"""Which lexicon an untagged article needs: script first, then stopword counts.

Only languages with both a lexicon and a gazetteer are candidates; anything else is
"unsupported" (None), because detecting with the wrong language's rules finds nothing
right. A tag on the article is trusted when its language is supported.
"""

from __future__ import annotations

import re
from functools import cache

from models.events import Article
from streams.detect.arabic import arabic_share
from streams.detect.countries import available_languages
from streams.detect.lexicon import available_lexicons, load_lexicon

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 3000  # characters read to decide
_MIN_HITS = 1  # stopwords a Latin-script text must show to be called


@cache
def supported_languages() -> tuple[str, ...]:
    return tuple(sorted(set(available_lexicons()) & set(available_languages())))


@cache
def _profiles() -> dict[str, tuple[str, frozenset[str]]]:
    profiles: dict[str, tuple[str, frozenset[str]]] = {}
    for lang in supported_languages():
        lexicon = load_lexicon(lang)
        profiles[lang] = (lexicon.script, frozenset(w.casefold() for w in lexicon.stopwords))
    return profiles


def identify(text: str) -> str | None:
    """Language of a text among the supported ones, or None."""
    profiles = _profiles()
    script = "arabic" if arabic_share(text) > 0.4 else "latin"
    candidates = {lang: words for lang, (s, words) in profiles.items() if s == script}
    if not candidates:
        return None
    if len(candidates) == 1 and script != "latin":
        return next(iter(candidates))
    tokens = [token.casefold() for token in _WORD.findall(text[:_SAMPLE])]
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in candidates.items()}
    lang, hits = max(sorted(scores.items()), key=lambda item: item[1])
    return lang if hits >= _MIN_HITS else None


def article_language(article: Article) -> str | None:
    """The article's supported language: its tag when supported, else identified."""
    if article.lang:
        tag = article.lang.split("-", 1)[0].split("_", 1)[0].casefold()
        if tag in supported_languages():
            return tag
    return identify(article.text)
