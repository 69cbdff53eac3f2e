"""Tests for pipeline.events beyond the events table (tests/test_events_table.py): review reasons, the fields of
a row, text as the HTML editions give it (footnote numbers left in), robustness.

Expectations were written for the unidic-lite 1.0.8 dictionary (fugashi tokens feed the event-verb Matcher).
"""

from __future__ import annotations

import pytest
from corpus_passages import CORPUS_2016_B, CORPUS_2019_A, CORPUS_2019_B
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.events import Event, EventResult, find_events

ACSA, INFO, RAA, TECH = "物品役務相互提供協定", "情報保護協定", "円滑化協定", "防衛装備品・技術移転協定"
DECL = "安全保障協力に関する共同宣言"

# 2023 edition, III部 オーストラリア (n330102000), as the HTML edition gives it: footnote numbers 1 and 2 in the text
CORPUS_2023 = (
    "日豪防衛協力の深化を背景に、変化する安全保障環境への対応や自由で開かれた国際秩序の維持・強化のため、"
    "2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表したほか、日豪ACSA1や日豪情報保護協定、"
    "日豪防衛装備品・技術移転協定、日豪円滑化協定(RAA)2といった協力のための基盤を整備してきている。"
)
# 2025 edition, KEY WORD box (a partner list: status as of a date, not events)
CORPUS_2025_KEYWORD = "2025年4月現在、オーストラリア、英国との間で締結、フィリピンとの間で署名されている。"

# (paragraph, previous date, edition year, the review reason expected): one example of each reason
REVIEW_CASES = (
    ("2019年、ACSAに署名した。", "", 2025, "signed of 物品役務相互提供協定: no partner"),
    ("日英円滑化協定が発効した。", "", 2025, "in_force of 円滑化協定: no date"),
    ("同年、日英円滑化協定が発効した。", "", 2025, "in_force of 円滑化協定: date not resolvable"),
    ("2023年度に日英円滑化協定に署名した。", "", 2025, "signed of 円滑化協定: only a fiscal-year or as-of date"),
    ("2025年4月現在、日英円滑化協定が発効している。", "", 2025, "only a fiscal-year or as-of date"),
    (
        "2024年、日比円滑化協定の署名に向けて調整している。",
        "",
        2025,
        "signed of 円滑化協定: not (yet) realised (に向け)",
    ),
    ("日比円滑化協定は2026年に署名する予定である。", "", 2025, "signed of 円滑化協定: not (yet) realised (予定)"),
    ("2020年3月に予定されていた日比円滑化協定の署名は延期された。", "", 2025, "not (yet) realised (は延期)"),
    (
        "2014年7月、日豪情報保護協定の早期締結で一致した。",
        "",
        2025,
        "concluded of 情報保護協定: not (yet) realised (早期)",
    ),
    ("日米は2024年に日米ACSAに署名していない。", "", 2025, "signed of 物品役務相互提供協定: not (yet) realised (ない)"),
    (
        "2023年には、英国及びイタリアとの間でACSAを作成した。",
        "",
        2025,
        "作成 of 物品役務相互提供協定: 作成 is an event only for kind arrangement (this is agreement)",
    ),
    (
        "北朝鮮は、2024年6月、ロシアとの間で「包括的戦略的パートナーシップ条約」に署名した。",
        "",
        2025,
        "signed of 包括的戦略的パートナーシップ条約: an agreement between other states (北朝鮮)",
    ),
    (
        "1961年に締結された「中朝友好協力および相互援助条約」が現在も継続している。",
        "",
        2025,
        "concluded of 中朝友好協力および相互援助条約: an agreement between other states",
    ),
    (
        "2023年3月、フィリピンとの間で、人道支援・災害救援活動に関する取決めを作成した。",
        "",
        2025,
        "new agreement name: 人道支援・災害救援活動に関する取決め",
    ),
    (
        "2024年1月、英国との間で日英円滑化協定について協議した。",
        "",
        2025,
        "no event verb (署名, 締結, 発効…) recognised",
    ),
)


def _rows(result: EventResult) -> list[tuple[str, str, str, str]]:
    return [(e.agreement, e.party.iso3, e.event, e.date) for e in result.events]


@pytest.mark.parametrize(("paragraph", "previous", "year", "reason"), REVIEW_CASES)
def test_review_reason(paragraph, previous, year, reason):
    result = find_events(paragraph, previous, year)
    found = [r for r, _ in result.review]
    assert any(reason in r for r in found), found
    assert all(sentence == paragraph for _, sentence in result.review)
    if not reason.startswith("new agreement name"):  # a reviewed candidate gives no event row
        assert all(e.event == "mentioned" for e in result.events)


def test_review_lists_each_reason_once_per_sentence():
    result = find_events("ACSAに署名した。ACSAに署名した。", "", 2025)
    assert result.review == [("signed of 物品役務相互提供協定: no partner", "ACSAに署名した。")]


def test_event_fields_keep_partner_as_written_and_evidence():
    (first, *_rest) = find_events(CORPUS_2019_A).events
    assert first == Event(ACSA, "ACSA", "agreement", "米", first.party, "signed", "2016-09", CORPUS_2019_A)
    assert (first.party.iso3, first.party.cow, first.party.party_type) == ("USA", "2", "state")
    by_country = {e.country for e in find_events(CORPUS_2019_B, "2017-04").events}
    assert {"英国", "オーストラリア", "米", "カナダ", "フランス", "仏", "加"} == by_country


def test_prefix_wins_over_other_country_names_in_clause():
    # 駐日米国大使 names 米国, but the partner comes from 日米; 豪 is not taken from 豪軍
    assert {e.party.iso3 for e in find_events(CORPUS_2019_A).events} == {"USA"}


def test_footnote_numbers_left_in_the_text_do_not_change_the_rows():
    """The HTML editions run footnote numbers into the words (日豪ACSA1, (RAA)2, …Agreement)10及び)."""
    assert _rows(find_events(CORPUS_2023)) == [
        (DECL, "AUS", "mentioned", ""),
        (ACSA, "AUS", "mentioned", ""),
        (INFO, "AUS", "mentioned", ""),
        (TECH, "AUS", "mentioned", ""),
        (RAA, "AUS", "mentioned", ""),
    ]
    rows = _rows(find_events(CORPUS_2016_B))
    assert ("ACSAに基づく手続取決め", "AUS", "signed", "2010-05") in rows
    assert (ACSA, "AUS", "in_force", "2013-01") in rows


def test_an_as_of_list_is_a_status_not_an_event():
    assert find_events(CORPUS_2025_KEYWORD).events == []


def test_paragraph_partner_stays_in_its_paragraph():
    uk = "英国との間では、2013年7月に防衛装備品・技術移転協定に署名した。"
    alone = "また、2014年1月に情報保護協定が発効した。"
    assert (INFO, "GBR", "in_force", "2014-01") in _rows(find_events(uk + alone))
    assert _rows(find_events(alone)) == []
    # two partners in the paragraph: no single partner to give
    both = (
        "英国との間では、2013年7月に防衛装備品・技術移転協定に署名した。フランスとの間では、2016年に同協定が発効した。"
    )
    assert _rows(find_events(both + alone)) == [
        (TECH, "GBR", "signed", "2013-07"),
        (TECH, "FRA", "in_force", "2016"),
    ]


def test_kinds_come_from_the_vocabulary_else_the_head_noun():
    text = "2019年4月、ベトナムとの間で協力覚書に署名し、同月、同国との間で安全保障協力に関する共同宣言に署名した。"
    kinds = {(e.agreement, e.kind) for e in find_events(text).events}
    assert kinds == {("協力覚書", "arrangement"), (DECL, "declaration")}


# --- robustness --------------------------------------------------------------------------------------------

_REAL = (CORPUS_2019_A, CORPUS_2019_B, CORPUS_2016_B, CORPUS_2023, CORPUS_2025_KEYWORD)
_ALPHABET = st.sampled_from(
    list(
        "日豪米英ACSA協定取決め覚書署名発効締結改正作成国会で承認同年月本昨0123456789()（）、。「」"
        "との間及び ・\n\t:令和平成度現在"
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=60),
    st.sampled_from(["", "2017-04", "2019", "x"]),
    st.sampled_from([None, 2025]),
)
def test_random_text_never_crashes(text, previous, year):
    result = find_events(text, previous, year)
    assert isinstance(result, EventResult)
    for event in result.events:
        assert event.evidence in text
        assert event.kind in ("agreement", "arrangement", "declaration")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_REAL), st.data())
def test_mutated_real_sentences_never_crash(text, data):
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet=_ALPHABET, max_size=10))
    drop = data.draw(st.integers(0, 5))
    mutated = text[:cut] + insert + text[cut + drop :]
    find_events(mutated, data.draw(st.sampled_from(["", "2013-01"])), 2019)
