"""The vocabulary file: its Literal types, its checks at load, and what the stages derive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from models.checks import partial_check, renewal_ddl, vocabulary_checks
from models.vocabulary import (
    VOCABULARY,
    VOCABULARY_FILE,
    DimensionName,
    KindCode,
    StatusName,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
)


def raw() -> dict[str, Any]:
    loaded = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def problems_of(document: dict[str, Any]) -> list[str]:
    with pytest.raises(VocabularyError) as caught:
        parse_vocabulary(document, "test.yaml")
    head, *lines = str(caught.value).splitlines()
    assert head == "test.yaml is invalid:"
    return [line.strip() for line in lines]


def test_literal_types_equal_the_files_keys_in_order() -> None:
    # The model's weights are listed per kind and status in this order.
    assert get_args(KindCode) == tuple(raw()["kinds"])
    assert get_args(DimensionName) == tuple(raw()["dimensions"])
    assert get_args(StatusName) == tuple(raw()["statuses"])


def test_the_shipped_vocabulary_as_the_stages_knew_it() -> None:
    v = VOCABULARY
    assert [k for k in v.kinds if v.is_directed(k)] == ["sanction.imposed", "sanction.lifted"]
    assert {d.name: d.initial for d in v.dimensions.values()} == {
        "diplomatic": "normal",
        "sanctions": "none",
        "oil": "normal",
    }
    assert v.state_after("sanction.lifted", "occurred") == "lifted"
    assert v.state_after("sanction.lifted", "occurred", partial=True) == "eased"
    assert v.state_after("relations.severed", "occurred", partial=True) == "severed"
    assert v.kind_leading_to("sanctions", "eased") == "sanction.lifted"
    assert v.kind_leading_to("diplomatic", "normal") is None
    assert v.family_dimension == {"sanction": "sanctions", "relations": "diplomatic", "oil": "oil"}
    assert v.status_where(changes_state=True) == "occurred"
    assert v.status_where(opens_signal=True) == "considered"
    assert v.closures == ("confirmed", "denied")


def test_the_generated_checks_hold_what_migrations_0001_and_0002_wrote() -> None:
    checks = {(c.table, c.name): c.sql for c in vocabulary_checks()}
    assert checks[("events", "type_known")] == (
        "type IN ('sanction.imposed','sanction.lifted','relations.severed',"
        "'relations.downgraded','relations.restored','oil.halted','oil.reduced','oil.resumed')"
    )
    assert checks[("events", "status_known")] == "status IN ('occurred','considered','denied')"
    assert checks[("dyad_periods", "dimension_known")] == (
        "dimension IN ('diplomatic','sanctions','oil')"
    )
    assert checks[("dyad_signal_records", "closure_known")] == (
        "closure IS NULL OR closure IN ('confirmed','denied')"
    )
    assert checks[("dyad_periods", "direction_fits_track")] == (
        "(direction <> '') = (dimension IN ('sanctions'))"
    )
    ddl = renewal_ddl(vocabulary_checks())
    assert ddl[0] == "ALTER TABLE events DROP CONSTRAINT IF EXISTS ck_events_type_known"


def test_every_problem_is_reported_at_once() -> None:
    document = raw()
    document["dimensions"]["oil"]["track"] = "sideways"
    document["dimensions"]["diplomatic"]["initial"] = "friendly"
    document["kinds"]["sanction.lifted"].pop("partial")  # nothing leads to "eased" now
    document["kinds"]["oil.halted"]["dimension"] = "oils"
    document["kinds"]["relations.severed"]["leads_to"] = {"considered": "severed"}
    document["kinds"]["relations.restored"]["directed"] = True
    document["statuses"]["denied"].pop("closes_signal_as")
    document["glossary"] = {}
    problems = problems_of(document)
    for expected in (
        "glossary: unknown section",
        "dimensions.oil.track: Input should be 'ordered' or 'unordered'",
        "dimensions.diplomatic: initial state 'friendly' not among its states",
        "dimensions.sanctions: no kind leads to state 'eased'",
        "kinds.oil.halted: unknown dimension 'oils'",
        "kinds.relations.severed: leads_to gives no state for ['occurred']",
        "kinds.relations.severed: leads_to gives a state for ['considered'], which change none",
        "kinds.relations.restored: directed is True, the diplomatic track unordered",
        "statuses.denied: neither opens a signal nor closes one (closes_signal_as)",
    ):
        assert expected in problems, (expected, problems)


def test_a_state_reached_by_two_kinds_or_a_family_split_fails_at_load() -> None:
    document = raw()
    document["kinds"]["oil.reduced"]["leads_to"] = {"occurred": "halted"}
    document["kinds"]["oil.cut"] = {"dimension": "diplomatic", "directed": False,
                                    "leads_to": {"occurred": "downgraded"}}  # fmt: skip
    problems = problems_of(document)
    assert "dimensions.oil: no kind leads to state 'reduced'" in problems
    assert "dimensions.oil: state 'halted' is reached by ['oil.halted', 'oil.reduced']" in problems
    assert "kinds.oil.cut: family 'oil' belongs to oil, not diplomatic" in problems


def test_a_presupposed_kind_must_be_another_known_kind_of_the_dimension() -> None:
    document = raw()
    document["kinds"]["sanction.lifted"]["presupposes"] = "relations.severed"
    document["kinds"]["oil.resumed"]["presupposes"] = "oil.cutoff"
    document["kinds"]["oil.reduced"]["presupposes"] = "oil.reduced"
    problems = problems_of(document)
    for expected in (
        "kinds.sanction.lifted: presupposes 'relations.severed', not another kind of its dimension",
        "kinds.oil.resumed: presupposes unknown kind 'oil.cutoff'",
        "kinds.oil.reduced: presupposes 'oil.reduced', not another kind of its dimension",
    ):
        assert expected in problems, (expected, problems)


def test_a_missing_or_broken_file_is_a_vocabulary_error(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot be read"):
        load_vocabulary(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("kinds: [\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not valid YAML"):
        load_vocabulary(broken)
    assert problems_of({"kinds": {}}) == [
        "dimensions: missing or empty",
        "statuses: missing or empty",
        "kinds: missing or empty",
    ]


def test_unknown_kind_is_named() -> None:
    with pytest.raises(VocabularyError, match=r"unknown kind 'sanction\.threatened'"):
        VOCABULARY.kind("sanction.threatened")


def ninth_kind(tmp_path: Path) -> Vocabulary:
    """The shipped file with one more kind, and nothing else changed anywhere."""
    document = raw()
    document["dimensions"]["diplomatic"]["states"].append("suspended")
    document["kinds"]["relations.suspended"] = {
        "dimension": "diplomatic",
        "directed": False,
        "leads_to": {"occurred": "suspended"},
    }
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return load_vocabulary(path)


def test_a_ninth_kind_reaches_every_derived_table(tmp_path: Path) -> None:
    from models.state import DyadChange
    from streams.alerts.match import event_type_of, status_of
    from streams.state.rules import Fact, Track, derive

    v = ninth_kind(tmp_path)
    assert len(v.kinds) == 9
    track = Track.of("relations.suspended", "VE", "US", v)
    assert (track.dyad, track.dimension, track.direction) == ("US-VE", "diplomatic", "")
    fact = Fact(
        event_id="e1",
        type="relations.suspended",
        status="occurred",
        actor="VE",
        target="US",
        valid_from=dt.date(2024, 5, 1),
        precision="day",
        basis="stated",
        recorded_at=dt.datetime(2024, 5, 2, tzinfo=dt.UTC),
        confidence=0.8,
        article_id="a1",
        outlet=None,
        evidence="Venezuela suspended its relations with the United States.",
    )
    [period] = derive(track, [fact], expiry_days=180, vocabulary=v).periods
    assert (period.previous_state, period.state) == ("normal", "suspended")
    change = DyadChange(
        id="c1",
        kind="state",
        dyad="US-VE",
        dimension="diplomatic",
        actor="VE",
        target="US",
        state="suspended",
        valid_from=fact.valid_from,
        precision="day",
        basis="stated",
        confidence=0.8,
        articles=1,
        event_id="e1",
        evidence=fact.evidence,
    )
    # The alert names the kind that led into the state: derived, not a table to extend.
    assert event_type_of(change, v) == "relations.suspended"
    assert status_of(change, v) == "occurred"
    checks = {(c.table, c.name): c.sql for c in vocabulary_checks(v)}
    assert "'relations.suspended'" in checks[("events", "type_known")]
    assert "'relations.suspended'" in checks[("dyad_signal_records", "type_known")]
    assert "'suspended'" in checks[("dyad_periods", "state_known")]
    # A suspension has no partial state, so no suspension may be stored as partial.
    assert "'relations.suspended'" not in partial_check(v).sql
    assert "'sanction.lifted'" in partial_check(v).sql


def test_a_ninth_kind_left_out_of_the_inverse_fails_at_load(tmp_path: Path) -> None:
    document = raw()
    document["dimensions"]["diplomatic"]["states"].append("suspended")
    document["kinds"]["relations.suspended"] = {"dimension": "diplomatic", "directed": False,
                                                "leads_to": {}}  # fmt: skip
    problems = problems_of(document)
    assert "kinds.relations.suspended: leads_to gives no state for ['occurred']" in problems
    assert "dimensions.diplomatic: no kind leads to state 'suspended'" in problems


def test_lexicons_key_their_confusers_by_dimension() -> None:
    from streams.detect.lexicon import available_lexicons, load_lexicon

    for lang in available_lexicons():
        assert set(load_lexicon(lang).confusers) <= set(VOCABULARY.dimensions), lang
