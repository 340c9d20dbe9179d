"""A lexicon compiled for matching: trigger regexes, cue regexes, word sets.

Patterns are written in the lexicon on folded text (Arabic authors may still type
hamzas; they are folded here like the text). Each pattern is wrapped with word
boundaries and, for clitic languages, the optional glued clitics. One alternation of all
patterns answers "does this article hold any trigger at all?" cheaply; only articles
that pass it are looked at closely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from streams.detect.arabic import ARABIC_TABLE, fold_word
from streams.detect.clauses import Words
from streams.detect.lexicon import Frame, Lexicon, Trigger, expand_macros, load_lexicon


@dataclass(frozen=True)
class CompiledTrigger:
    trigger: Trigger
    frame: Frame
    regex: re.Pattern[str]
    # Anchors written in the trigger's patterns; empty means "could be near any anchor".
    anchors: frozenset[str]


@dataclass(frozen=True)
class LanguageRules:
    lexicon: Lexicon
    triggers: tuple[CompiledTrigger, ...]
    anchors: re.Pattern[str]
    anchor_words: tuple[str, ...]
    # Each loose anchor → one trigger per event type whose patterns hold it.
    loose: dict[str, tuple[CompiledTrigger, ...]]
    cues: re.Pattern[str]
    confusers: dict[str, re.Pattern[str]]
    words: Words

    @property
    def fold_case(self) -> bool:
        return self.lexicon.script == "latin"


def _fold_pattern(pattern: str, lexicon: Lexicon) -> str:
    return pattern.translate(ARABIC_TABLE) if lexicon.script == "arabic" else pattern


def anchor_key(text: str, lexicon: Lexicon) -> str:
    """How an anchor found in the text is looked up (Latin case folded)."""
    return text.casefold() if lexicon.script == "latin" else _fold_pattern(text, lexicon)


def _wrap(body: str, lexicon: Lexicon) -> str:
    clitics = lexicon.clitics
    prefix = f"(?:{clitics})" if clitics else ""
    return rf"(?<![\w-]){prefix}(?:{body})(?![\w])"


def _flags(lexicon: Lexicon) -> int:
    return re.IGNORECASE if lexicon.script == "latin" else 0


def _fragment(phrases: list[str], lexicon: Lexicon) -> str:
    """Alternation of regex phrases, longest first; a space stands for any run of spaces."""
    folded = [_fold_pattern(expand_macros(p, lexicon.macros), lexicon) for p in phrases]
    ordered = sorted(set(folded), key=lambda p: -len(p))
    return "|".join(p.replace(" ", r"\s+") for p in ordered) or r"(?!x)x"


def _word_set(words: list[str], lexicon: Lexicon) -> frozenset[str]:
    if lexicon.script == "arabic":
        return frozenset(fold_word(word) for word in words)
    return frozenset(word.casefold() for word in words)


def _fold_frame(frame: Frame, lexicon: Lexicon) -> Frame:
    fold = fold_word if lexicon.script == "arabic" else str.casefold
    markers = {fold(key): role for key, role in frame.markers.items()}
    return frame.model_copy(update={"markers": markers})


@cache
def language_rules(lang: str) -> LanguageRules:
    lexicon = load_lexicon(lang)
    flags = _flags(lexicon)
    anchor_words = sorted({anchor_key(a, lexicon) for a in lexicon.anchors}, key=len, reverse=True)
    anchors = re.compile("|".join(re.escape(a) for a in anchor_words), flags)
    triggers: list[CompiledTrigger] = []
    for trigger in lexicon.triggers:
        body = _fragment(trigger.patterns, lexicon)
        source = body.replace(r"\s+", " ")
        source = source.casefold() if lexicon.script == "latin" else source
        triggers.append(
            CompiledTrigger(
                trigger,
                _fold_frame(lexicon.frames[trigger.frame], lexicon),
                re.compile(_wrap(body, lexicon), flags),
                frozenset(a for a in anchor_words if a in source),
            )
        )
    status = lexicon.status
    classes = {
        "occurred": status.occurred,
        "considered": status.considered,
        "denied": status.denied,
        "negation": status.negations,
        "more": status.more,
    }
    cue_body = "|".join(
        f"(?P<{name}>{_fragment(phrases, lexicon)})" for name, phrases in classes.items()
    )
    cues = re.compile(_wrap(cue_body, lexicon), flags)
    confusers: dict[str, re.Pattern[str]] = {
        str(dimension): re.compile(_wrap(_fragment(phrases, lexicon), lexicon), flags)
        for dimension, phrases in lexicon.confusers.items()
        if phrases
    }
    marker_words = [key for frame in lexicon.frames.values() for key in frame.markers]
    words = Words(
        conjunctions=_word_set(lexicon.conjunctions, lexicon),
        determiners=_word_set(lexicon.determiners, lexicon),
        clause_breaks=_word_set(lexicon.clause_breaks, lexicon),
        relatives=_word_set(lexicon.relatives, lexicon),
        prepositions=_word_set(lexicon.prepositions + marker_words, lexicon),
        reach_through=_word_set(lexicon.reach_through, lexicon),
        locatives=_word_set(lexicon.locatives, lexicon),
        adjective_gap=_word_set(lexicon.adjective_gap, lexicon),
        carry_words=_word_set(lexicon.carry_words, lexicon),
        new_subjects=_word_set(lexicon.new_subjects, lexicon),
        conjunction_clitics=tuple(lexicon.conjunction_clitics),
        adjective_after=lexicon.adjective_side == "after",
    )
    loose_keys = {anchor_key(a, lexicon) for a in lexicon.loose_anchors}
    loose: dict[str, dict[str, CompiledTrigger]] = {}
    for compiled in triggers:
        for anchor in compiled.anchors & loose_keys:
            loose.setdefault(anchor, {}).setdefault(compiled.trigger.type, compiled)
    return LanguageRules(
        lexicon,
        tuple(triggers),
        anchors,
        tuple(anchor_words),
        {anchor: tuple(kinds.values()) for anchor, kinds in loose.items()},
        cues,
        confusers,
        words,
    )
