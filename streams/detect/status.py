"""Whether an event is reported as done, only weighed, or denied, from cues in its clause.

The cue nearest before the trigger (or inside its span: "will not be lifted") decides.
Hedges reach further back than negations: "يفكر الرئيس جو بايدن في خفض" puts four
words between the hedge and the trigger, while a "لم" that far back usually negates
another verb. A hedged "more sanctions" also says some are already in force.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from models.events import Status
from streams.detect.clauses import Sentence, reach_left
from streams.detect.rules import LanguageRules

_MORE_REACH = 3  # words between "more"/"مزيد" and the trigger


@dataclass(frozen=True)
class StatusReading:
    status: Status
    # A hedged "further sanctions" also reports the ones already imposed.
    presupposes_occurred: bool
    cue: str | None


def read_status(rules: LanguageRules, sentence: Sentence, span: tuple[int, int]) -> StatusReading:
    span_start, span_end = span
    first = max(bisect_right(sentence.starts, span_start) - 1, 0)
    cues = rules.lexicon.status
    if not sentence.starts:
        return StatusReading("occurred", False, None)
    low_token = reach_left(sentence, first, cues.window)
    low = sentence.starts[low_token]
    chosen: tuple[str, str] | None = None
    more = False
    for match in rules.cues.finditer(sentence.text, low, span_end):
        kind = match.lastgroup
        if kind is None:
            continue
        words_before = first - (bisect_right(sentence.starts, match.start()) - 1)
        if kind == "more":
            more = more or words_before <= _MORE_REACH
            continue
        if kind == "negation":
            if words_before > cues.negation_window:
                continue
            kind = "denied"
        chosen = (kind, match.group())
    if chosen is None:
        return StatusReading("occurred", False, None)
    kind, cue = chosen
    status: Status = (
        "considered" if kind == "considered" else "denied" if kind == "denied" else "occurred"
    )
    return StatusReading(status, more and status == "considered", cue)
