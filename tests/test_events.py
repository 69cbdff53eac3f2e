"""Tests for pipeline.events: dated agreement events from the white papers' body text.

Expectations were written for the unidic-lite 1.0.8 dictionary (fugashi tokens feed the event-verb Matcher).
"""

from __future__ import annotations

import pytest
from corpus_passages import CORPUS_2016_B, CORPUS_2019_A, CORPUS_2019_B
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.events import Event, EventResult, find_agreement_mentions, find_events

# --- real passages (copied from /work/shared/corpus so the tests run without it) ------------------------

# 2019 edition, II部 新たな日米ACSAなどの締結 (n25304000)
# 2016 edition, III部 日豪防衛協力・交流 (n3214000)
# 2023 edition, III部 オーストラリア (n330102000)
CORPUS_2023 = (
    "日豪防衛協力の深化を背景に、変化する安全保障環境への対応や自由で開かれた国際秩序の維持・強化のため、"
    "2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表したほか、日豪ACSA1や日豪情報保護協定、"
    "日豪防衛装備品・技術移転協定、日豪円滑化協定(RAA)2といった協力のための基盤を整備してきている。"
)
# 2025 edition, KEY WORD box (a partner list: status as of a date, not events)
CORPUS_2025_KEYWORD = "2025年4月現在、オーストラリア、英国との間で締結、フィリピンとの間で署名されている。"

ACSA, INFO, RAA, TECH = "物品役務相互提供協定", "情報保護協定", "円滑化協定", "防衛装備品・技術移転協定"
DECL = "安全保障協力に関する共同宣言"

# (paragraph, previous_date, expected events as (agreement, iso3, event, date)) — order as found
EVENT_CASES = (
    (
        CORPUS_2019_A,
        "",
        [
            (ACSA, "USA", "signed", "2016-09"),
            (ACSA, "USA", "diet_approved", "2017-04"),
            (ACSA, "USA", "in_force", "2017-04"),
        ],
    ),
    (
        CORPUS_2019_B,
        "2017-04",
        [
            (ACSA, "GBR", "diet_approved", ""),
            (ACSA, "AUS", "diet_approved", ""),
            (ACSA, "USA", "diet_approved", ""),
            (ACSA, "GBR", "in_force", "2017"),
            (ACSA, "AUS", "in_force", "2017"),
            (ACSA, "USA", "in_force", "2017"),
            (ACSA, "CAN", "diet_approved", "2019-05"),
            (ACSA, "FRA", "diet_approved", "2019-05"),
            (ACSA, "FRA", "in_force", "2019-06"),
            (ACSA, "CAN", "in_force", "2019-07"),
        ],
    ),
    (
        CORPUS_2016_B,
        "",
        [
            (ACSA, "AUS", "signed", "2010-05"),
            (ACSA, "AUS", "in_force", "2013-01"),
            (INFO, "AUS", "in_force", "2013-03"),
        ],
    ),
    (
        CORPUS_2023,
        "",
        [
            (DECL, "AUS", "mentioned", ""),
            (ACSA, "AUS", "mentioned", ""),
            (INFO, "AUS", "mentioned", ""),
            (TECH, "AUS", "mentioned", ""),
            (RAA, "AUS", "mentioned", ""),
        ],
    ),
    # the sentence alone: 同年3月 resolves against previous_date
    (
        "また、同年3月には、日豪情報保護協定が発効し、二国間の情報共有の基盤が整備された。",
        "2013-01",
        [(INFO, "AUS", "in_force", "2013-03")],
    ),
    # constructed variants
    (
        "英国およびオーストラリアとの間で2014年12月にACSAに署名した。",
        "",
        [(ACSA, "GBR", "signed", "2014-12"), (ACSA, "AUS", "signed", "2014-12")],
    ),
    (
        "令和5年11月、フィリピンとの間で円滑化協定（ＲＡＡ）の交渉を開始した。",
        "",
        [(RAA, "PHL", "negotiation_started", "2023-11")],
    ),
    (
        "2023年11月、日比円滑化協定について交渉開始で一致し、2024年7月に署名した。",
        "",
        [(RAA, "PHL", "negotiation_started", "2023-11"), (RAA, "PHL", "signed", "2024-07")],
    ),
    ("2022年1月、日英円滑化協定について実質合意に至った。", "", [(RAA, "GBR", "agreed", "2022-01")]),
    (
        "2022年1月、日豪円滑化協定（RAA）への署名が行われた。同協定は2023年8月に発効した。",
        "",
        [(RAA, "AUS", "signed", "2022-01"), (RAA, "AUS", "in_force", "2023-08")],
    ),
    ("2024年3月、ドイツとの間でACSAを締結した。", "", [(ACSA, "DEU", "concluded", "2024-03")]),
    (
        "2016年7月、日韓秘密軍事情報保護協定(GSOMIA)が発効した。",
        "",
        [("秘密軍事情報保護協定", "KOR", "in_force", "2016-07")],
    ),
    ("2017年7月、日英情報保護協定が発効した。", "", [(INFO, "GBR", "in_force", "2017-07")]),
    (
        "2014年7月、日・マレーシア防衛装備品及び技術の移転に関する協定に署名した。",
        "",
        [(TECH, "MYS", "signed", "2014-07")],
    ),
    # identical events in one paragraph are reported once
    ("2013年1月、日豪ACSAが発効した。2013年1月、日豪ACSAが発効した。", "", [(ACSA, "AUS", "in_force", "2013-01")]),
    # an as-of list is a status, not an event, and names no agreement
    (CORPUS_2025_KEYWORD, "", []),
    # partners joined by と / や before 「との間で」; Japan is a side, not a partner
    (
        "2022年1月、オーストラリアと英国との間で円滑化協定に署名した。",
        "",
        [(RAA, "AUS", "signed", "2022-01"), (RAA, "GBR", "signed", "2022-01")],
    ),
    (
        "2017年1月、英国やフランスとの間でACSAに署名した。",
        "",
        [(ACSA, "GBR", "signed", "2017-01"), (ACSA, "FRA", "signed", "2017-01")],
    ),
    ("2022年1月、日本とオーストラリアとの間で円滑化協定に署名した。", "", [(RAA, "AUS", "signed", "2022-01")]),
    ("2017年1月、米国とともに英国との間でACSAに署名した。", "", [(ACSA, "GBR", "signed", "2017-01")]),
)

# (paragraph, previous_date, substrings of the review reasons)
REVIEW_CASES = (
    ("ACSAに署名した。", "", ["signed of 物品役務相互提供協定: no partner"]),
    ("日英円滑化協定が発効した。", "", ["in_force of 円滑化協定: no date"]),
    ("2023年度に日英円滑化協定に署名した。", "", ["only a fiscal-year or as-of date"]),
    ("2025年4月現在、日英円滑化協定が発効している。", "", ["only a fiscal-year or as-of date"]),
    ("2024年、日比円滑化協定の署名に向けて調整している。", "", ["signed: not (yet) realised"]),
    ("日比円滑化協定は2026年に署名する予定である。", "", ["signed: not (yet) realised"]),
    ("2023年には、英国及びイタリアとの間でACSAを作成した。", "", ["no event verb (署名, 締結, 発効…) recognised"]),
)

# (text, expected mentions as (text span, canonical, abbr, iso3 or None))
MENTION_CASES = (
    (
        "日豪ACSAや日英防衛装備品・技術移転協定",
        [("日豪ACSA", ACSA, "ACSA", "AUS"), ("日英防衛装備品・技術移転協定", TECH, "", "GBR")],
    ),
    ("日豪円滑化協定(RAA)と日豪RAA", [("日豪円滑化協定", RAA, "RAA", "AUS"), ("日豪RAA", RAA, "RAA", "AUS")]),
    ("物品・役務相互提供協定(ACSA)", [("物品・役務相互提供協定", ACSA, "ACSA", None)]),
    ("日米物品役務相互提供協定(日米ACSA)", [("日米物品役務相互提供協定", ACSA, "ACSA", "USA")]),
    ("相互防衛調達了解覚書(RDP MOU)", [("相互防衛調達了解覚書", "相互防衛調達了解覚書", "RDP MOU", None)]),
    ("部隊間協力円滑化協定", [("部隊間協力円滑化協定", RAA, "RAA", None)]),
    ("日韓秘密軍事情報保護協定", [("日韓秘密軍事情報保護協定", "秘密軍事情報保護協定", "GSOMIA", "KOR")]),
    ("「安全保障協力に関する日豪共同宣言」", [("安全保障協力に関する日豪共同宣言", DECL, "", "AUS")]),
    ("日本のACSAs", []),
    ("日米韓ACSA", [("日米韓ACSA", ACSA, "ACSA", None)]),
)


def _rows(result: EventResult) -> list[tuple[str, str, str, str]]:
    return [(e.agreement, e.party.iso3, e.event, e.date) for e in result.events]


@pytest.mark.parametrize(("paragraph", "previous", "expected"), EVENT_CASES)
def test_events(paragraph, previous, expected):
    assert _rows(find_events(paragraph, previous)) == expected


@pytest.mark.parametrize(("paragraph", "previous", "reasons"), REVIEW_CASES)
def test_review(paragraph, previous, reasons):
    result = find_events(paragraph, previous)
    # a verb that has not happened yet leaves the agreement merely mentioned; others give no row at all
    assert all(e.event == "mentioned" for e in result.events)
    found = [reason for reason, _ in result.review]
    for reason in reasons:
        assert any(reason in f for f in found), found
    assert all(sentence == paragraph for _, sentence in result.review)


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_mentions(text, expected):
    got = [
        (text[s:e], canonical, abbr, party.iso3 if party else None)
        for s, e, canonical, abbr, party in find_agreement_mentions(text)
    ]
    assert got == expected


def test_event_fields_keep_partner_as_written_and_evidence():
    (first, *_rest) = find_events(CORPUS_2019_A).events
    assert first == Event(ACSA, "ACSA", "米", first.party, "signed", "2016-09", CORPUS_2019_A)
    assert (first.party.iso3, first.party.cow, first.party.party_type) == ("USA", "2", "state")
    by_country = {e.country for e in find_events(CORPUS_2019_B, "2017-04").events}
    assert {"英国", "オーストラリア", "米", "カナダ", "フランス", "仏", "加"} == by_country


def test_prefix_wins_over_other_country_names_in_clause():
    # 駐日米国大使 names 米国, but the partner comes from 日米; 豪 is not taken from 豪軍
    events = find_events(CORPUS_2019_A).events
    assert {e.party.iso3 for e in events} == {"USA"}


def test_mentioned_rows_have_no_date():
    assert all(e.date == "" for e in find_events(CORPUS_2023).events if e.event == "mentioned")


# --- robustness --------------------------------------------------------------------------------------------

_REAL = (CORPUS_2019_A, CORPUS_2019_B, CORPUS_2016_B, CORPUS_2023, CORPUS_2025_KEYWORD)
_ALPHABET = st.sampled_from(
    list("日豪米英ACSA協定署名発効国会で承認同年月0123456789()（）、。「」との間及び ・\n\t:令和平成度現在")
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=60), st.sampled_from(["", "2017-04", "2019", "x"]))
def test_random_text_never_crashes(text, previous):
    result = find_events(text, previous)
    assert isinstance(result, EventResult)
    for event in result.events:
        assert event.evidence in text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_REAL), st.data())
def test_mutated_real_sentences_never_crash(text, data):
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet=_ALPHABET, max_size=10))
    drop = data.draw(st.integers(0, 5))
    mutated = text[:cut] + insert + text[cut + drop :]
    find_events(mutated, data.draw(st.sampled_from(["", "2013-01"])))
