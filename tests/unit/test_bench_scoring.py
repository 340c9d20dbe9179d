"""The eval-dev scorer: a matched event whose date is not the label's is listed as an error."""

from __future__ import annotations

from bench.scoring import Report


def test_a_wrong_date_is_counted_and_listed() -> None:
    gold = [
        {"type": "sanction.imposed", "actor": "US", "target": "IR", "date": "2018"},
        {"type": "relations.severed", "actor": "SA", "target": "IR", "date": "2016-01"},
    ]
    predicted = [
        {"type": "sanction.imposed", "actor": "US", "target": "IR", "date": "2018"},
        {"type": "relations.severed", "actor": "SA", "target": "IR", "date": "2016"},
    ]
    report = Report()
    report.add("p1", "en", gold, predicted)
    assert report.rows()["date_exact"] == {"scored": 2, "right": 1, "share": 0.5}
    dated = [e for e in report.errors if e.kind == "date"]
    assert [(e.item, e.evidence) for e in dated] == [("p1", "dated 2016, labelled 2016-01")]
    assert not [e for e in report.errors if e.kind != "date"]
