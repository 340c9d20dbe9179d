"""The pure part of story clustering: folding, shingles, signatures, band keys, the choice."""

from __future__ import annotations

from streams.detect.shingles import (
    BANDS,
    NUM_PERM,
    SAME_STORY,
    Signature,
    closest,
    folded,
    shingles,
    signature,
    word_hashes,
)

# Written for these tests: a report of a severance, then the same report reworded apart.
REPORT = (
    "أعلنت وزارة الخارجية اليوم قطع العلاقات الدبلوماسية مع الدولة المجاورة بعد اشهر من "
    "التوتر على الحدود، وأمهلت سفيرها ثمانية وأربعين ساعة لمغادرة البلاد. وقال المتحدث "
    "باسم الوزارة في مؤتمر صحفي إن القرار جاء ردا على تصريحات اعتبرتها الحكومة مسيئة، "
    "وإن السفارة في العاصمة ستغلق أبوابها ابتداء من صباح الغد حتى إشعار آخر."
)
OTHER = (
    "The central bank kept its main interest rate unchanged on Thursday, saying that "
    "inflation had eased for a third month while wages kept rising faster than expected, "
    "and that it would watch the housing market before deciding on any cut next year."
)


def test_arabic_is_folded_as_the_detector_folds_it() -> None:
    # Hamza carriers, ta marbuta, tatweel, harakat and Arabic-Indic digits fold away.
    assert folded("أمهلت الـسفـارة مُدَّةً ٤٨ ساعة") == folded("امهلت السفاره مده 48 ساعه")
    assert word_hashes("أمهلت ٤٨").tolist() == word_hashes("امهلت 48").tolist()


def test_words_are_split_on_any_punctuation_and_case_does_not_count() -> None:
    assert word_hashes("Sanctions, lifted!").tolist() == word_hashes("sanctions lifted").tolist()
    assert len(word_hashes("  one  two\nthree. ")) == 3
    assert len(word_hashes("")) == 0 and len(shingles("...")) == 0


def test_a_shingle_is_a_run_of_four_words_in_their_order() -> None:
    assert len(shingles("a b c d e f")) == 3
    assert shingles("a b c d").tolist() != shingles("d c b a").tolist()
    assert len(shingles("a b")) == 1  # shorter than a run: the whole text is one
    assert len(shingles("a b c d a b c d")) == 4  # distinct runs only


def test_the_same_text_gives_the_same_signature_in_every_process() -> None:
    sig = signature(REPORT)
    assert sig == signature(REPORT)
    assert len(sig.values) == NUM_PERM and all(0 <= v < 2**32 for v in sig.values)
    # Pinned: a signature computed by a worker yesterday is compared with one computed today.
    assert sig.values[:3] == (79820657, 39950615, 96416490)
    assert Signature.from_bytes(sig.to_bytes(), sig.shingles) == sig


def test_a_copy_with_a_trimmed_sentence_is_the_same_story_and_another_report_is_not() -> None:
    sig = signature(REPORT)
    # The closing clause cut, as a paper short of space does.
    trimmed = signature(REPORT.rsplit("،", 1)[0] + ".")
    assert sig.similarity(signature(REPORT)) == 1.0
    assert sig.similarity(trimmed) >= SAME_STORY
    assert sig.similarity(signature(OTHER)) < 0.1
    assert closest(sig, [("other", signature(OTHER)), ("copy", trimmed)]) == "copy"
    assert closest(sig, [("other", signature(OTHER))]) is None


def test_of_two_equal_candidates_the_first_given_wins() -> None:
    sig = signature(REPORT)
    assert closest(sig, [("older", sig), ("newer", sig)]) == "older"


def test_band_keys_are_equal_exactly_where_bands_are() -> None:
    sig = signature(REPORT)
    keys = sig.band_keys()
    assert len(keys) == len(set(keys)) == BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert keys == Signature(sig.values, sig.shingles).band_keys()
    # One value changed in the first band: only that band's key changes.
    changed = Signature((sig.values[0] ^ 1, *sig.values[1:]), sig.shingles).band_keys()
    assert changed[0] != keys[0] and changed[1:] == keys[1:]


def test_a_brief_is_too_short_to_judge() -> None:
    assert not signature("Sanctions lifted today").judgeable
    assert signature(REPORT).judgeable
