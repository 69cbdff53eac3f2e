"""The rule layer's tools (pipeline/nlp.py): fugashi tokens, as tuples and as spaCy Docs, and sentence splitting.

Written for unidic-lite 1.0.8 with fugashi 1.5.2.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp import GAP_TAG, make_doc, split_sentences, tagger, tokens

TAG_CASES = (
    # (text, token, its UniDic tag)
    ("米国との間で締結", "米国", "名詞-固有名詞-地名-国"),
    ("オーストラリア、英国との間で", "オーストラリア", "名詞-固有名詞-地名-国"),
    ("との間で署名されている", "署名", "名詞-普通名詞-サ変可能"),
    ("2025年4月現在", "現在", "名詞-普通名詞-副詞可能"),
)


@pytest.mark.parametrize(("text", "token", "tag"), TAG_CASES)
def test_docs_carry_unidic_tags(text, token, tag):
    doc = make_doc(text)
    assert {t.text: t.tag_ for t in doc}[token] == tag


def test_lemmas_are_unidic_lemmas():
    doc = make_doc("署名されている")
    assert [t.lemma_ for t in doc] == ["署名", "為る", "れる", "て", "居る"]


# (text, tokens as (text, offset)): one space after a word is its trailing space; other skipped text is a token
GAP_CASES = (
    ("米国 と英国", [("米国", 0), ("と", 3), ("英国", 4)]),
    ("米国  と", [("米国", 0), ("  ", 2), ("と", 4)]),
    (" 米国\n", [(" ", 0), ("米国", 1), ("\n", 3)]),
    ("\x07見出し", [("\x07", 0), ("見出し", 1)]),
)


@pytest.mark.parametrize(("text", "expected"), GAP_CASES)
def test_tokens_keep_every_character(text, expected):
    found = tokens(text)
    assert [(t.text, t.idx) for t in found] == expected
    assert all(t.tag_ == GAP_TAG for t in found if not t.text.strip())


@given(st.text(max_size=60))
def test_tokens_are_the_docs_tokens(text):
    """The rules read ``tokens``, the Matcher a Doc: both must give the same words, offsets, tags and lemmas."""
    assert [(t.text, t.idx, t.tag_, t.lemma_) for t in make_doc(text)] == [tuple(t) for t in tokens(text)]


def test_dictionary_is_pinned_to_unidic_lite():
    (info,) = tagger().dictionary_info
    assert "unidic_lite" in info["filename"]


def test_matcher_runs_on_these_docs():
    from spacy.matcher import Matcher

    from pipeline.nlp import nlp

    matcher = Matcher(nlp().vocab)
    matcher.add("COUNTRY", [[{"TAG": "名詞-固有名詞-地名-国"}]])
    doc = make_doc("米国及び英国と締結済み")
    assert [doc[s:e].text for _, s, e in matcher(doc)] == ["米国", "英国"]


SENTENCE_CASES = (
    (
        "定めるもの。2025年4月現在、米国との間で締結されている。",
        ["定めるもの。", "2025年4月現在、米国との間で締結されている。"],
    ),
    # a quoted sentence does not end the sentence around it
    ("「基本的な考え方。」を発表した。次の文。", ["「基本的な考え方。」を発表した。", "次の文。"]),
    # a note in parentheses after the full stop stays with its sentence
    ("締結されている。(※米国とは取極を締結)次の文。", ["締結されている。(※米国とは取極を締結)", "次の文。"]),
    # newlines separate a box's paragraphs
    ("定めるもの\n2025年4月現在、締結されている", ["定めるもの", "2025年4月現在、締結されている"]),
    ("文末のない文", ["文末のない文"]),
    ("", []),
    # closers right after the end stay with the sentence; a stray closer opens nothing
    ("）冒頭。と述べた。」）次の文！", ["）冒頭。", "と述べた。」）", "次の文！"]),
    # brackets nest; an end inside them is not an end, a newline always is
    ("A（B「C。」D。）E。F（G\nH。", ["A（B「C。」D。）E。", "F（G", "H。"]),
)


@pytest.mark.parametrize(("text", "sentences"), SENTENCE_CASES)
def test_split_sentences(text, sentences):
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


@given(st.text(max_size=80))
def test_docs_keep_the_text_and_sentences_stay_inside_it(text):
    assert make_doc(text).text == text
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
