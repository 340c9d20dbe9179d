"""Sentence spans: newlines and full stops end sentences, Arabic commas do not."""

from __future__ import annotations

from streams.detect.sentences import MAX_SENTENCE, split_sentences


def _texts(text: str) -> list[str]:
    spans = split_sentences(text)
    return [text[start:end] for start, end in zip(spans.starts, spans.ends, strict=True)]


def test_arabic_comma_and_semicolon_do_not_end_a_sentence() -> None:
    text = "قطعت فنزويلا العلاقات، ثم فرضت واشنطن عقوبات؛ وردت كراكاس. وقال مادورو إنه منفتح؟ نعم"
    assert _texts(text) == [
        "قطعت فنزويلا العلاقات، ثم فرضت واشنطن عقوبات؛ وردت كراكاس.",
        "وقال مادورو إنه منفتح؟",
        "نعم",
    ]


def test_newline_always_ends_a_sentence() -> None:
    assert _texts("عنوان بلا نقطة\n\n نص الخبر.") == ["عنوان بلا نقطة", "نص الخبر."]


def test_abbreviations_and_lower_case_continuations_do_not_end_one() -> None:
    text = "The U.S. imposed sanctions on Iran. Mr. Smith said so. It was 3.5 p.m. on Monday."
    assert _texts(text) == [
        "The U.S. imposed sanctions on Iran.",
        "Mr. Smith said so.",
        "It was 3.5 p.m. on Monday.",
    ]


def test_offsets_index_the_text_and_lookup_finds_the_sentence() -> None:
    text = "  First one.  Second one!\nThird"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in zip(spans.starts, spans.ends, strict=True)] == [
        "First one.",
        "Second one!",
        "Third",
    ]
    assert spans.index_at(text.index("Second")) == 1
    assert spans.index_at(text.index("Third") + 2) == 2


def test_a_span_without_boundaries_is_cut_below_the_limit_at_a_space() -> None:
    text = "the embassy closed and " * 2000  # 46,000 characters, no full stop
    spans = split_sentences(text)
    lengths = [e - s for s, e in zip(spans.starts, spans.ends, strict=True)]
    assert len(lengths) > 10
    assert max(lengths) <= MAX_SENTENCE
    # Cut at spaces: the pieces joined by one space are the text again.
    pieces = [text[s:e] for s, e in zip(spans.starts, spans.ends, strict=True)]
    assert " ".join(pieces) == text.strip()


def test_one_long_word_is_cut_at_the_limit() -> None:
    spans = split_sentences("x" * (MAX_SENTENCE * 2 + 5))
    assert [e - s for s, e in zip(spans.starts, spans.ends, strict=True)] == [
        MAX_SENTENCE,
        MAX_SENTENCE,
        5,
    ]
