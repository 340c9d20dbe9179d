"""Folding Arabic text for matching keeps every position traceable to the original."""

from __future__ import annotations

from streams.detect.arabic import fold_arabic, fold_latin, fold_word
from streams.detect.sentences import split_sentences


def test_letter_variants_fold_one_for_one() -> None:
    folded = fold_arabic("أإآٱ ؤ ئ ى ة")
    assert folded.folded == "اااا و ي ي ه"
    assert folded.to_original(5) == 5


def test_digits_of_both_systems_become_ascii() -> None:
    assert fold_arabic("عام ٢٠١٩ و۲۰۱۸").folded == "عام 2019 و2018"


def test_marks_are_deleted_and_offsets_map_back() -> None:
    text = "فُرِضَت عقوباتٌ على روسـيا"
    folded = fold_arabic(text)
    assert folded.folded == "فرضت عقوبات علي روسيا"
    start = folded.folded.index("روسيا")
    begin, end = folded.span(start, start + len("روسيا"))
    assert text[begin:end] == "روسـيا"
    word = folded.folded.index("عقوبات")
    begin, end = folded.span(word, word + len("عقوبات"))
    # A mark after a word's last letter stays with the word.
    assert text[begin:end] == "عقوباتٌ"


def test_text_without_marks_needs_no_map() -> None:
    folded = fold_arabic("قطعت فنزويلا العلاقات")
    assert folded.span(5, 12) == (5, 12)


def test_invisible_direction_marks_are_dropped() -> None:
    text = "\u200fإيران\u200f"
    folded = fold_arabic(text)
    assert folded.folded == "ايران"
    # The trailing mark belongs to the last letter, so the span keeps it.
    assert folded.span(0, 5) == (1, 7)


def test_latin_text_only_unifies_quotes() -> None:
    assert fold_latin("Russia’s oil").folded == "Russia's oil"


def test_fold_word_matches_the_text_folding() -> None:
    assert fold_word("الولايات  المتحدة الأمريكية") == "الولايات المتحده الامريكيه"
    assert fold_word("إسرائيل") == fold_arabic("إسرائيل").folded


def test_cyrillic_is_lowered_one_for_one_and_keeps_its_sentence_ends() -> None:
    text = "США ввели санкции. Позже Канада сделала то же. О. Дерипаска — тоже. Ещё"
    folded = fold_latin(text).folded
    assert len(folded) == len(text)  # offsets stay the source's
    assert (
        folded
        == "сша ввели санкции.\u00a0позже канада сделала то же.\u00a0о. дерипаска — тоже.\u00a0еще"
    )
    sentences = split_sentences(folded)
    assert [folded[a:b] for a, b in zip(sentences.starts, sentences.ends, strict=True)] == [
        "сша ввели санкции.",
        "позже канада сделала то же.",
        "о. дерипаска — тоже.",
        "еще",
    ]
    # Latin case is left alone: "US" and "us" differ.
    assert fold_latin("The US. Then us.").folded == "The US. Then us."


def test_persian_forms_fold_to_the_arabic_ones() -> None:
    # ی/ي and ک/ك, the joiner dropped, heh with yeh above as heh, Persian digits.
    assert fold_word("تحریم‌های روسیۀ") == fold_word("تحريمهاي روسيه")
    assert fold_arabic("۱۴۰۲").folded == "1402"
