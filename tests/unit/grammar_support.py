"""The grammar's own findings for a text: what the frame rules derive, before the model."""

from __future__ import annotations

import datetime as dt

from models.events import Article
from streams.detect.detector import read_article


def rule_findings(
    text: str, lang: str, published: dt.date | None = None
) -> set[tuple[str, str, str, str]]:
    """(type, actor, target, status) of every rule finding of every pattern trigger."""
    reading = read_article(Article(id="t", text=text, lang=lang, published_at=published))
    if reading is None:
        return set()
    return {
        (finding.type, finding.actor, finding.target, finding.status)
        for instance in reading.instances
        for hit in instance.readings
        if not hit.hit.loose  # an anchor alone is no trigger of the grammar
        for finding in hit.findings
    }
