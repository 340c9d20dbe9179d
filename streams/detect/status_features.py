"""What says whether a kept event was done, weighed or denied: the status model's features.

The grammar's cue reading of the nearest trigger of the event's type, and the words just
before it and inside it, where a hedge or a negation stands in most languages.
"""

from __future__ import annotations

from streams.detect.grammar import Reader
from streams.detect.instances import CONTEXT, Instance, context_words


def status_features(reader: Reader, instance: Instance, kind: str) -> list[str]:
    """Features of the pair's `kind` event for the status model."""
    reading = next(
        (r for r in instance.readings if r.hit.trigger.trigger.type == kind),
        instance.nearest(),
    )
    view = reader.view(reading.sentence)
    status = reading.status
    features = ["bias", f"rs:{status.status}", f"rs:{kind}:{status.status}", f"kind:{kind}"]
    if status.presupposes_occurred:
        features.append("more")
    if status.cue:
        features.append(f"cue:{status.cue}")
    for word in context_words(view, reading.first_token - CONTEXT, reading.first_token):
        features.append(f"b:{word}")
    for word in context_words(view, reading.first_token - 3, reading.first_token):
        features.append(f"bb:{word}")
    for word in context_words(view, reading.first_token, reading.last_token + 1):
        features.append(f"t:{word}")
    for word in context_words(view, reading.last_token + 1, reading.last_token + 4):
        features.append(f"a:{word}")
    return sorted(set(features))
