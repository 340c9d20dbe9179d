"""An article dated by its year or month keeps that precision, and nothing relative is
resolved against a day it does not have."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from models.events import Article
from streams.detect.dates import find_date


@pytest.mark.parametrize(
    ("given", "day", "precision"),
    [
        ("2021-03", dt.date(2021, 3, 1), "month"),
        ("2021", dt.date(2021, 1, 1), "year"),
        ("2021-03-04", dt.date(2021, 3, 4), "day"),
        ("2021-03-04T22:10:00Z", dt.date(2021, 3, 4), "day"),
    ],
)
def test_partial_publication_dates_keep_their_precision(
    given: str, day: dt.date, precision: str
) -> None:
    article = Article.model_validate({"id": "a", "text": "t", "published_at": given})
    assert (article.published_at, article.published_precision) == (day, precision)
    assert article.published_day == (day if precision == "day" else None)


@pytest.mark.parametrize("given", ["2021-13", "21-03", "March 2021", "2021-02-30"])
def test_impossible_publication_dates_are_refused(given: str) -> None:
    with pytest.raises(ValidationError):
        Article.model_validate({"id": "a", "text": "t", "published_at": given})


def test_a_weekday_is_not_resolved_against_a_month() -> None:
    text = "Canada imposed sanctions on Iran on Monday."
    article = Article.model_validate({"id": "a", "text": text, "published_at": "2024-05"})
    assert find_date(text, 0, len(text), 16, "en", article.published_day) is None
    day = Article.model_validate({"id": "a", "text": text, "published_at": "2024-05-02"})
    assert find_date(text, 0, len(text), 16, "en", day.published_day) == "2024-04-29"
