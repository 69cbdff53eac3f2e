"""Agreement events read by hand from the 2016, 2019 and 2023 passages, end to end from their PDFs.

Each row: (agreement, partner iso3, event, date). Read off the passages in sources/sample (the
sentences are quoted in the comments); reviewed by hand. A row the rules get wrong fails here.
"""

from __future__ import annotations

import pytest
from conftest import blocks_of, sample_pdf

from pipeline.extract import extract_blocks, most_precise_events

ACSA, INFO, DECL = "物品役務相互提供協定", "情報保護協定", "安全保障協力に関する共同宣言"
EQUIP, RAA = "防衛装備品・技術移転協定", "円滑化協定"
PROCEDURE = "ACSAに基づく手続取決め"  # not in the vocabulary: an open-vocabulary name (head noun 取決め)

BY_HAND = {
    "2016": [
        # 07(平成19)年3月、…「安全保障協力に関する日豪共同宣言」を発表して以来 (発表 is not an agreement event)
        (DECL, "AUS", "mentioned", ""),
        # 10(同22)年5月、…日豪物品役務相互提供協定(ACSA…)及び…の署名が行われ、13(同25)年1月に発効した。
        # (the procedural arrangement under the ACSA was signed with it and came into force with it)
        (ACSA, "AUS", "signed", "2010-05"),
        (PROCEDURE, "AUS", "signed", "2010-05"),
        (ACSA, "AUS", "in_force", "2013-01"),
        (PROCEDURE, "AUS", "in_force", "2013-01"),
        # また、同年3月には、日豪情報保護協定が発効し
        (INFO, "AUS", "in_force", "2013-03"),
    ],
    "2019": [
        # 16(平成28)年9月には、…日米物品役務相互提供協定(日米ACSA)への署名が行われ、17(平成29)年4月に国会で承認され、
        # 同月に発効した。
        (ACSA, "USA", "signed", "2016-09"),
        (ACSA, "USA", "diet_approved", "2017-04"),
        (ACSA, "USA", "in_force", "2017-04"),
        # この協定は、…これまでの日米ACSAに代わる新たな協定として作成されたものである。
        (ACSA, "USA", "mentioned", ""),
        # 米国以外にも英国及びオーストラリアとの間で、…ACSAを作成し、日米ACSAとともに国会で承認され、同年発効した。
        (ACSA, "GBR", "diet_approved", ""),
        (ACSA, "AUS", "diet_approved", ""),
        (ACSA, "GBR", "in_force", "2017"),
        (ACSA, "AUS", "in_force", "2017"),
        # カナダ及びフランスとの間でもACSAを作成し、いずれも19(令和元)年5月に国会で承認され、日仏ACSAについては
        # 同年6月に発効し、日加ACSAについては同年7月に発効した。
        (ACSA, "CAN", "diet_approved", "2019-05"),
        (ACSA, "FRA", "diet_approved", "2019-05"),
        (ACSA, "FRA", "in_force", "2019-06"),
        (ACSA, "CAN", "in_force", "2019-07"),
    ],
    "2023": [
        # 2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表したほか、日豪ACSAや日豪情報保護協定、
        # 日豪防衛装備品・技術移転協定、日豪円滑化協定(RAA)といった協力のための基盤を整備してきている。
        (DECL, "AUS", "mentioned", ""),
        (ACSA, "AUS", "mentioned", ""),
        (INFO, "AUS", "mentioned", ""),
        (EQUIP, "AUS", "mentioned", ""),
        (RAA, "AUS", "mentioned", ""),
        # • 日豪円滑化協定(RAA)により促進される防衛協力をさらに強化すること
        (RAA, "AUS", "mentioned", ""),
    ],
}

# The only review lines: a name the vocabulary does not list gives its rows and is listed for review.
REVIEWED = {"2016": [f"new agreement name: {PROCEDURE}"]}


@pytest.mark.parametrize("year", sorted(BY_HAND))
def test_events_read_by_hand_come_out(year):
    tables = extract_blocks(year, blocks_of(sample_pdf(year)), [])
    got = [(r["agreement"], r["iso3"], r["event"], r["date"]) for r in tables.rows["agreement_events"]]
    assert got == BY_HAND[year]
    assert all(r["evidence"] and r["page"] == "1" for r in tables.rows["agreement_events"])
    reviewed = [r["reason"] for r in tables.rows["review"] if r["table"] == "agreement_events"]
    assert reviewed == REVIEWED.get(year, [])


PRECISION_CASES = (
    (["2017-04", "2017", ""], ["2017-04"]),
    (["2010-05", "2020-01"], ["2010-05", "2020-01"]),
    (["2017", ""], ["2017"]),
    ([""], [""]),
)


@pytest.mark.parametrize(("dates", "kept"), PRECISION_CASES)
def test_less_precise_repeats_of_an_event_are_dropped(dates, kept):
    rows = [{"agreement": ACSA, "iso3": "USA", "country": "米", "event": "in_force", "date": d} for d in dates]
    assert [r["date"] for r in most_precise_events(rows)] == kept
