"""Subjects found beyond a trigger's own clause, and subjects that are no party to it.

A clause that names no subject of its own takes one from the clause that governs it
("Russia said it would cut supplies") or, after a comma, from the clause it goes on from
("استدعت الخارجية الهولندية السفير، وفي اليوم التالي طردت دبلوماسيين").
"""

from __future__ import annotations

from streams.detect.chains import Argument, chain_role, coordinated, find_chains, marker_before
from streams.detect.clauses import (
    COMMAS,
    MAX_CLAUSE,
    Sentence,
    Words,
    reach_left,
    strip_conjunction,
)
from streams.detect.lexicon import Frame

_CARRY_HEAD = 4  # words from a clause's start within which its subject stands


def pressed_between(
    sentence: Sentence, after: int, before: int, frame: Frame, words: Words
) -> bool:
    """A state behind a target marker stands between a subject and the trigger.

    "مارسوا ضغوطا على أوروبا لفرض عقوبات على روسيا": the subject presses the state
    between, which is the one to act; the subject is no party to the trigger. An "and"
    after that state starts a second predicate of the subject instead ("broke ties with
    the US and gave its diplomats 72 hours").
    """
    for index, mention in enumerate(sentence.mentions):
        token = sentence.first_token_of[index]
        if not after < token < before:
            continue
        if any(
            word in words.conjunctions or strip_conjunction(word, words) != word
            for word in sentence.words[sentence.last_token_of[index] + 1 : before]
        ):
            continue
        keys = [mention.clitic] if mention.clitic else []
        keys += marker_before(sentence, token, after + 1, words)
        if any(frame.markers.get(key) == "target" for key in keys):
            return True
    return False


def subject_beyond(
    sentence: Sentence, bounds: tuple[int, int, int], frame: Frame, words: Words
) -> list[Argument]:
    """A dropped subject is the one of the clause that governs this one.

    "نفت الخارجية الجزائرية أن تكون قد طردت السفير" and "Russia said it would cut supplies"
    name their actor before the complementizer; look past clause words, not punctuation.
    """
    first, last, left = bounds
    if left > 0 and sentence.words[left - 1] in words.relatives:
        return []  # a relative clause's subject is its head noun, never a state before it
    outer = reach_left(sentence, left, MAX_CLAUSE)
    indexes = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= outer and sentence.last_token_of[i] < left
    ]
    # The governing clause's first subject: "Germany declined X but imposed an embargo".
    for chain in find_chains(sentence, indexes, words):
        role, source = chain_role(sentence, chain, frame, words, (first, last, outer))
        if source != "subject" or role == "none" or coordinated(sentence, chain, left, words):
            continue
        distance = first - sentence.last_token_of[chain[-1]] - 1
        return [Argument(sentence.mentions[i], role, "subject", distance, chain[0]) for i in chain]
    return []


def carried_subject(
    sentence: Sentence, bounds: tuple[int, int, int], frame: Frame, words: Words
) -> list[Argument]:
    """A clause after a comma that opens with "ثم", "and" or a glued "و" and names no
    subject goes on with the previous clause's: "استدعت الخارجية الهولندية السفير،
    وفي اليوم التالي طردت دبلوماسيين". Only a subject standing at that clause's head
    carries over; a state further in is more likely its object.
    """
    first, last, left = bounds
    if left < 2 or sentence.words[left - 1] not in COMMAS:
        return []
    opener = sentence.words[left]
    bare = strip_conjunction(opener, words)
    if opener in words.carry_words:
        following = sentence.words[left + 1] if left + 1 < len(sentence.words) else ""
        bare = strip_conjunction(following, words)
    elif bare == opener:
        return []
    if bare in words.new_subjects or bare in words.clause_breaks:
        return []  # "، وهو ما يمهد لرفع العقوبات": the clause has a subject of its own
    comma = left - 1
    outer = reach_left(sentence, comma, MAX_CLAUSE)
    indexes = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= outer and sentence.last_token_of[i] < comma
    ]
    chains = find_chains(sentence, indexes, words)
    if not chains:
        return []
    if bare in words.relatives:
        # "مجلس الأمن، والذي فرض عقوبات": a relative's subject is the noun before the comma.
        chain = chains[-1]
        if sentence.last_token_of[chain[-1]] != comma - 1:
            return []
    elif sentence.first_token_of[chains[0][0]] - outer > _CARRY_HEAD:
        return []
    else:
        chain = chains[0]
    role, source = chain_role(sentence, chain, frame, words, (first, last, outer))
    if source != "subject" or role == "none" or coordinated(sentence, chain, comma, words):
        return []
    distance = first - sentence.last_token_of[chain[-1]] - 1
    return [Argument(sentence.mentions[i], role, "subject", distance, chain[0]) for i in chain]
