"""Tokens and clauses of one sentence: the frame rules look no further than a clause.

A clause ends at punctuation (not at a comma that lists states, nor around a short aside
such as "، الاثنين،") and at the language's clause words ("أن", "that", "بينما").
Hedges and denials reach further back, over clause words but not punctuation.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from streams.detect.mentions import Mention

_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
# Quotes are not here: a quoted phrase ("very big sanctions") sits inside its clause.
_CLAUSE_PUNCTUATION = frozenset(",،;؛:()—–")
MAX_CLAUSE = 16  # words on each side of a trigger a clause may span
_MAX_ASIDE = 4  # words an aside between commas may hold
COMMAS = frozenset(",،")


@dataclass(frozen=True)
class Words:
    """The word sets of one language the role rules consult (already folded/casefolded)."""

    conjunctions: frozenset[str]
    determiners: frozenset[str]
    clause_breaks: frozenset[str]
    relatives: frozenset[str]
    prepositions: frozenset[str]
    reach_through: frozenset[str]
    locatives: frozenset[str]
    adjective_gap: frozenset[str]
    carry_words: frozenset[str]
    new_subjects: frozenset[str]
    conjunction_clitics: tuple[str, ...]
    adjective_after: bool


@dataclass
class Sentence:
    """Tokens and mentions of one sentence of the folded text."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    mentions: list[Mention]
    first_token_of: list[int] = field(default_factory=list)
    last_token_of: list[int] = field(default_factory=list)
    # Tokens of its lists of states, found the first time a clause is bounded: every
    # trigger of the sentence bounds its clause, some twice.
    listed: frozenset[int] | None = field(default=None, repr=False)


def read_sentence(
    text: str, start: int, end: int, mentions: list[Mention], fold_case: bool
) -> Sentence:
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for match in _TOKEN.finditer(text, start, end):
        starts.append(match.start())
        ends.append(match.end())
        words.append(match.group().casefold() if fold_case else match.group())
    sentence = Sentence(text, starts, ends, words, mentions)
    for mention in mentions:
        first = token_at(starts, mention.start)
        last = max(first, token_at(starts, mention.end - 1))
        sentence.first_token_of.append(first)
        sentence.last_token_of.append(last)
    return sentence


def token_at(starts: list[int], position: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= position:
            low = middle + 1
        else:
            high = middle
    return max(low - 1, 0)


def _is_break(sentence: Sentence, index: int, words: Words, allow_comma: bool) -> bool:
    word = sentence.words[index]
    if word in _CLAUSE_PUNCTUATION:
        if not allow_comma or word not in COMMAS:
            return True
        # A comma in a list of states ("the US, the EU, Britain and Canada") joins.
        after = index + 1
        while after < len(sentence.words) and sentence.words[after] in words.determiners:
            after += 1
        return after not in sentence.first_token_of or index - 1 not in sentence.last_token_of
    return word in words.clause_breaks or strip_conjunction(word, words) in words.clause_breaks


def strip_conjunction(word: str, words: Words) -> str:
    for clitic in words.conjunction_clitics:
        if word.startswith(clitic) and len(word) > len(clitic) + 1:
            return word[len(clitic) :]
    return word


def _insertion(sentence: Sentence, comma: int, step: int) -> int | None:
    """The far end of a short aside that starts at `comma`: the next comma (", on Monday,",
    "، الاثنين،") or the closing bracket ("اليوم (الاثنين)"), read in the direction of
    `step`."""
    opener = sentence.words[comma]
    closers: frozenset[str]
    if opener in COMMAS:
        closers = COMMAS
    elif opener == ("(" if step > 0 else ")"):
        closers = frozenset(")" if step > 0 else "(")
    else:
        return None
    index = comma + step
    for _ in range(_MAX_ASIDE):
        if not 0 <= index < len(sentence.words):
            return None
        if sentence.words[index] in closers:
            return index
        if sentence.words[index] in _CLAUSE_PUNCTUATION or index in sentence.first_token_of:
            return None
        index += step
    return None


def clause_bounds(sentence: Sentence, first: int, last: int, words: Words) -> tuple[int, int]:
    """Token range of the clause around trigger tokens [first, last]; asides do not end it.

    Its reach is counted in words outside lists of states, so a list of seven states ("the
    ambassadors of Argentina, Chile, …, the Dominican Republic and Uruguay") stays within it.
    """
    if sentence.listed is None:
        sentence.listed = _listed_tokens(sentence, words)
    listed = sentence.listed
    left, reach = first, 0
    while left > 0 and reach < MAX_CLAUSE:
        if sentence.words[left - 1] in words.relatives:
            break
        if _is_break(sentence, left - 1, words, True):
            aside = _insertion(sentence, left - 1, -1)
            if aside is None:
                break
            reach += left - aside
            left = aside
            continue
        left -= 1
        reach += left not in listed
    right, reach = last, 0
    limit = len(sentence.words) - 1
    while right < limit and reach < MAX_CLAUSE:
        if _is_break(sentence, right + 1, words, True):
            aside = _insertion(sentence, right + 1, 1)
            if aside is None:
                break
            reach += aside - right
            right = aside
            continue
        right += 1
        reach += right not in listed
    return left, right


def _listed_tokens(sentence: Sentence, words: Words) -> frozenset[int]:
    """Tokens of lists of states: the names of states that follow one another with only
    commas, conjunctions and articles between them, and those words."""
    listed: set[int] = set()
    spans = sorted(zip(sentence.first_token_of, sentence.last_token_of, strict=True))
    for (first, last), (following, end) in itertools.pairwise(spans):
        between = range(last + 1, following)
        if all(
            sentence.words[i] in COMMAS
            or sentence.words[i] in words.conjunctions
            or sentence.words[i] in words.determiners
            for i in between
        ):
            listed.update(range(first, end + 1))
    return frozenset(listed)


def reach_left(sentence: Sentence, first: int, limit: int) -> int:
    """Leftmost token within `limit` words before `first` not past a punctuation break.

    Hedges and denials govern whole complement clauses ("نفت ... أن تكون بكين فرضت"),
    so only punctuation, not a clause word, stops their reach.
    """
    left = first
    while left > 0 and first - left < limit:
        word = sentence.words[left - 1]
        if word in _CLAUSE_PUNCTUATION:
            aside = _insertion(sentence, left - 1, -1)
            if aside is None:
                break
            left = aside
            continue
        left -= 1
    return left
