"""Tests for pipeline.acronyms: abbreviations the white papers define in parentheses.

Expectations were written for the unidic-lite 1.0.8 dictionary (the term is delimited on fugashi tokens).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.acronyms import Acronym, find_acronyms

# --- real passages (copied from /work/shared/corpus so the tests run without it) ------------------------

# 2025 edition, III部3章 opening
CORPUS_2025_FOIP = (
    "このため、同盟国のみならず、一か国でも多くの国々と連携を強化することが極めて重要であるとの観点から、"
    "自由で開かれたインド太平洋 (FOIP) というビジョンの実現に資する取組を進めていくこととしている。"
)
CORPUS_2025_BOLD = (
    "その際、同志国などとの連携強化を効果的に進める観点から、**円滑化協定 (RAA)**、**物品役務相互提供協定 (ACSA)**、"
    "**防衛装備品・技術移転協定**などの制"
)
CORPUS_2025_FIGURE = (
    "- 2016年8月、安倍内閣総理大臣(当時)はケニアで開催された第6回アフリカ開発会議(TICAD VI)の基調演説において、"
    "「自由で開かれたインド太平洋」(Free and Open Indo-Pacific)の考え方を提唱。"
)
CORPUS_2025_ICWA = "2023年3月、岸田内閣総理大臣(当時)は、インドで開催されたインド世界問題評議会(ICWA)の政策スピーチで、"
CORPUS_2025_UAE = "シンガポール、アラブ首長国連邦 (UAE)、モンゴルとの間で締結されている"
CORPUS_2025_IMAGE = "参照 図表Ⅲ-3-1 (自由で開かれたインド太平洋 (FOIP) ビジョンにおける防衛省の取組 (イメージ))"
# 2016 edition
CORPUS_2016_ACSA = (
    "10(同22)年5月、第3回日豪外務・防衛閣僚協議(「2+2」)において、日豪物品役務相互提供協定"
    "(ACSA:Acquisition and Cross-Servicing Agreement)10及び日豪ACSAに基づく手続取決めの署名が行われ、"
)
# 2019 edition
CORPUS_2019_ACSA = "外務大臣と駐日米国大使との間で、日米物品役務相互提供協定(日米ACSA)への署名が行われ、"
CORPUS_2019_GENERIC = "平和安全法制などを踏まえた物品・役務相互提供協定(ACSA)を作成し、"
# 2023 edition
CORPUS_2023_ATLA = "科学技術及び戦略能力における協力を推進し、防衛装備庁(ATLA)と国防科学技術"
CORPUS_2023_RAA = "日豪円滑化協定(RAA)により促進される防衛協力をさらに強化すること"

FOIP = "自由で開かれたインド太平洋"
ACSA_EN = "Acquisition and Cross-Servicing Agreement"

# (text, expected as (abbr, term, expansion))
CASES = (
    (CORPUS_2025_FOIP, [("FOIP", FOIP, "")]),
    (CORPUS_2025_BOLD, [("RAA", "円滑化協定", ""), ("ACSA", "物品役務相互提供協定", "")]),
    (CORPUS_2025_FIGURE, [("TICAD VI", "第6回アフリカ開発会議", "")]),
    (CORPUS_2025_ICWA, [("ICWA", "インド世界問題評議会", "")]),
    (CORPUS_2025_UAE, [("UAE", "アラブ首長国連邦", "")]),
    (CORPUS_2025_IMAGE, [("FOIP", FOIP, "")]),
    (CORPUS_2016_ACSA, [("ACSA", "日豪物品役務相互提供協定", ACSA_EN)]),
    (CORPUS_2019_ACSA, [("日米ACSA", "日米物品役務相互提供協定", "")]),
    (CORPUS_2019_GENERIC, [("ACSA", "物品・役務相互提供協定", "")]),
    (CORPUS_2023_ATLA, [("ATLA", "防衛装備庁", "")]),
    (CORPUS_2023_RAA, [("RAA", "日豪円滑化協定", "")]),
    # constructed variants
    ("日豪円滑化協定（ＲＡＡ）により", [("RAA", "日豪円滑化協定", "")]),
    ("日豪円滑化協定（RAA）により", [("RAA", "日豪円滑化協定", "")]),
    (
        "日豪物品役務相互提供協定（ACSA：Acquisition and Cross-Servicing Agreement）を",
        [("ACSA", "日豪物品役務相互提供協定", ACSA_EN)],
    ),
    ("日豪物品役務相互提供協定(ACSA1)を", [("ACSA", "日豪物品役務相互提供協定", "")]),
    (
        "日豪物品役務相互提供協定(ACSA:Acquisition and Cross-Servicing Agreement10)を",
        [("ACSA", "日豪物品役務相互提供協定", ACSA_EN)],
    ),
    (
        "日米相互防衛調達了解覚書(RDP MOU:Reciprocal Defense Procurement Memorandum of Understanding)に署名",
        [("RDP MOU", "日米相互防衛調達了解覚書", "Reciprocal Defense Procurement Memorandum of Understanding")],
    ),
    ("防衛協力・交流に関する覚書(MOU)を", [("MOU", "防衛協力・交流に関する覚書", "")]),
    ("欧州連合(EU)及び北大西洋条約機構(NATO)との", [("EU", "欧州連合", ""), ("NATO", "北大西洋条約機構", "")]),
    ("F-35A戦闘機(F-35A)を取得", [("F-35A", "F-35A戦闘機", "")]),
    ("連合任務部隊(CTF151)に", [("CTF151", "連合任務部隊", "")]),
    # not definitions
    ("岸防衛大臣(当時)は", []),
    ("取組(イメージ)", []),
    ("第4回日豪「2+2」会合(「2+2」)において", []),
    ("を導入した(F-35A)。", []),
    ("(FOIP)", []),
    ("番号(123)", []),
    ("考え方(Free and Open Indo-Pacific)", []),
    ("協定(日米ACSA)", []),  # a Japanese-prefixed short form needs a term with the same prefix
    # each definition once
    (CORPUS_2025_FOIP + CORPUS_2025_FOIP, [("FOIP", FOIP, "")]),
)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_acronyms(text, expected):
    found = find_acronyms(text)
    assert [(a.abbr, a.term, a.expansion) for a in found] == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_start_points_at_term(text, expected):
    for acronym in find_acronyms(text):
        normalised = text[acronym.start : acronym.start + len(acronym.term)]
        assert normalised.replace("ＲＡＡ", "RAA") == acronym.term


def test_an_abbreviation_defined_before_is_not_looked_up_again():
    assert find_acronyms(CORPUS_2016_ACSA, defined={"ACSA"}) == []
    assert [a.abbr for a in find_acronyms(CORPUS_2016_ACSA, defined={"RAA"})] == ["ACSA"]


def test_fields():
    (acronym,) = find_acronyms(CORPUS_2016_ACSA)
    assert acronym == Acronym("ACSA", "日豪物品役務相互提供協定", ACSA_EN, CORPUS_2016_ACSA.index("日豪物品"))


_ALPHABET = st.sampled_from(
    list("自由で開かれたインド太平洋協定日豪ABCDEFOIPSVI0123456789()（）:： 、。「」・-&+\n\tのをは")
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=60))
def test_random_text_never_crashes(text):
    for acronym in find_acronyms(text):
        assert 2 <= len(acronym.abbr.replace(" ", "")) and acronym.term
        assert 0 <= acronym.start < len(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([c[0] for c in CASES]), st.data())
def test_mutated_real_sentences_never_crash(text, data):
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet=_ALPHABET, max_size=10))
    mutated = text[:cut] + insert + text[cut + data.draw(st.integers(0, 5)) :]
    find_acronyms(mutated)
