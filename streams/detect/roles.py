"""Who acts on whom around one trigger: the frame's rules applied to one clause.

States joined by "and" (or a glued "و") form a chain that takes one role together.
A chain's role comes, in order of strength, from a marker the frame knows (the word or
clitic before it: "on", "على", "by", "بقيادة", or "-led" after it), from standing inside
the trigger's span, from a marker a few words back ("على الأفراد المرتبطين بحكومة مادورو"),
from being glued to the trigger noun as an adjective, or from its position: the nearest
unmarked state before the trigger is its subject, the first after it its object.
A state behind a preposition the frame does not know takes no role.
"""

from __future__ import annotations

from streams.detect.chains import Argument, chain_role, coordinated, find_chains
from streams.detect.clauses import Sentence, Words, clause_bounds, token_at
from streams.detect.lexicon import Frame
from streams.detect.subjects import carried_subject, pressed_between, subject_beyond


def assign_roles(
    sentence: Sentence, trigger: tuple[int, int], frame: Frame, words: Words
) -> list[Argument]:
    """Roles of the states in the trigger's clause, per the frame."""
    span_start, span_end = trigger
    first = token_at(sentence.starts, span_start)
    last = max(first, token_at(sentence.starts, span_end - 1))
    left, right = clause_bounds(sentence, first, last, words)
    inside = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= left and sentence.last_token_of[i] <= right
    ]
    chains = find_chains(sentence, inside, words)
    # Subjects are searched from the trigger outwards, so walk the left chains backwards.
    ordered = [c for c in reversed(chains) if sentence.last_token_of[c[-1]] < first] + [
        c for c in chains if sentence.last_token_of[c[-1]] >= first
    ]
    arguments: list[Argument] = []
    taken: set[str] = set()
    for chain in ordered:
        role, source = chain_role(sentence, chain, frame, words, (first, last, left))
        if source == "subject" and (
            coordinated(sentence, chain, first, words)
            or pressed_between(sentence, sentence.last_token_of[chain[-1]], first, frame, words)
        ):
            # "ركود الاقتصاد الياباني واحتمال خفض واردات النفط": a conjunction between
            # them puts the state in another phrase than the trigger's.
            continue
        if source in ("subject", "object"):
            if source in taken:
                continue
            taken.add(source)
        if role == "none":
            continue
        head_first = sentence.first_token_of[chain[0]]
        tail_last = sentence.last_token_of[chain[-1]]
        distance = first - tail_last - 1 if tail_last < first else max(head_first - last - 1, 0)
        arguments += [
            Argument(sentence.mentions[i], role, source, distance, chain[0]) for i in chain
        ]
    if frame.subject != "none" and not any(
        a.source == "subject" or a.role == "actor" for a in arguments
    ):
        bounds = (first, last, left)
        arguments += subject_beyond(sentence, bounds, frame, words) or carried_subject(
            sentence, bounds, frame, words
        )
    # A marked or glued actor ("US sanctions", "by the EU") outranks a bare subject, which
    # is then more likely the one reacting ("Iran condemned US sanctions").
    if any(a.role == "actor" and a.source in ("marker", "adjective", "inner") for a in arguments):
        arguments = [a for a in arguments if not (a.role == "actor" and a.source == "subject")]
    # Likewise a marked target outranks a subject the frame makes one: in "India's economy
    # was hurt by US sanctions on Russia" India only suffers them.
    if any(a.role == "target" and a.source in ("marker", "reach") for a in arguments):
        arguments = [a for a in arguments if not (a.role == "target" and a.source == "subject")]
    return arguments
