"""Wire shapes of articles and detected events (the `dyadwatch extract` contract)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.dyads import dyad_of
from models.vocabulary import VOCABULARY, KindCode, StatusName

# The wire names of the vocabulary's kinds and statuses, in the file's order.
EventType = KindCode
EVENT_TYPES: tuple[str, ...] = tuple(VOCABULARY.kinds)

Status = StatusName
STATUSES: tuple[str, ...] = tuple(VOCABULARY.statuses)

Precision = Literal["year", "month", "day"]

# "2019", "2019-01" or "2019-01-28": a date carries its own precision.
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_precision(value: str) -> Precision:
    """Precision of a partial ISO date string."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]  # type: ignore[return-value]


class Article(BaseModel):
    """A news article as it travels on `news.articles`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str = Field(min_length=1, max_length=512)
    text: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: dt.date | None = None
    # How much of `published_at` the source gave: "2021-03" is the month (kept as its
    # first day), so no weekday or "yesterday" is resolved against it.
    published_precision: Precision = "day"
    lang: str | None = Field(default=None, max_length=16)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value

    @model_validator(mode="before")
    @classmethod
    def _partial_publication(cls, data: object) -> object:
        # A source may date an article by its year or month only ("2021", "2021-03").
        if isinstance(data, dict):
            value = data.get("published_at")
            if isinstance(value, str) and _PARTIAL_DATE.match(value) and len(value) < 10:
                precision = date_precision(value)
                day = value + ("-01-01" if precision == "year" else "-01")
                return {**data, "published_at": day, "published_precision": precision}
        return data

    @field_validator("published_at", mode="before")
    @classmethod
    def _date_part(cls, value: object) -> object:
        # Feeds give full timestamps; the article's day is what dating needs.
        if isinstance(value, str) and len(value) > 10 and value[4:5] == "-":
            return value[:10]
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    @property
    def published_day(self) -> dt.date | None:
        """The publication day, when the source gave one (relative dates need a day)."""
        return self.published_at if self.published_precision == "day" else None


class Evidence(BaseModel):
    """The sentence that reports an event, with offsets into the article text."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Event(BaseModel):
    """One event between two states reported by one article."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    type: EventType
    actor: str = Field(pattern=r"^[A-Z]{2}$")
    target: str = Field(pattern=r"^[A-Z]{2}$")
    status: Status
    date: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    lang: str
    evidence: Evidence
    # The report says the measure only eases ("eased some sanctions"): the state it leads
    # to is the kind's partial one. Only a kind that has a partial state can be partial.
    partial: bool = False

    @model_validator(mode="after")
    def _partial_kind(self) -> Event:
        if self.partial and VOCABULARY.kind(self.type).partial is None:
            raise ValueError(f"{self.type} has no partial state, so it cannot be partial")
        return self

    @field_validator("date")
    @classmethod
    def _partial_iso(cls, value: str | None) -> str | None:
        if value is not None and not _PARTIAL_DATE.match(value):
            raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value

    @property
    def pair_key(self) -> str:
        """Kafka key: the unordered pair, so one dyad's events stay in order on one partition."""
        return dyad_of(self.actor, self.target)


class DetectedEvent(Event):
    """An event as published on `events.detected`: with its stable id and provenance."""

    id: str
    detector_version: str
    published_at: dt.date | None = None
