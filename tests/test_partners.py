"""Partner-list sentences → rows (pipeline/partners.py).

Expectations written for unidic-lite 1.0.8 (fugashi 1.5.2): the status phrases are matched on its tokens.
Each case: (sentence, as_of, [(iso3 or name, status, note)], number of review problems).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.partners import looks_like_list, parse_list

SEED_UAE = (
    "2025年4月現在、米国、英国、オーストラリア、インド、フィリピン、フランス、ドイツ、マレーシア、イタリア、インドネシア、"
    "ベトナム、タイ、スウェーデン、シンガポール、アラブ首長国連邦 (UAE)、モンゴルとの間で締結されている "
    "(※米国とは対米武器・武器技術供与取極、英国とは日英武器・武器技術移転協定を締結)。"
)

CASES = (
    # the seed edition (2025), verbatim
    (
        "2025年4月現在、オーストラリア、英国との間で締結、フィリピンとの間で署名されている。",
        "2025-04",
        [("AUS", "concluded", ""), ("GBR", "concluded", ""), ("PHL", "signed", "")],
        0,
    ),
    (
        "2025年4月現在、米国、オーストラリア、英国、カナダ、フランス、インド、ドイツとの間で締結され、"
        "イタリアとの間で署名されている。",
        "2025-04",
        [(c, "concluded", "") for c in ("USA", "AUS", "GBR", "CAN", "FRA", "IND", "DEU")] + [("ITA", "signed", "")],
        0,
    ),
    (
        SEED_UAE,
        "2025-04",
        [("USA", "concluded", "対米武器・武器技術供与取極"), ("GBR", "concluded", "日英武器・武器技術移転協定")]
        + [
            (c, "concluded", "")
            for c in ("AUS", "IND", "PHL", "FRA", "DEU", "MYS", "ITA", "IDN", "VNM", "THA", "SWE", "SGP", "ARE", "MNG")
        ],
        0,
    ),
    # 及び / および / 並びに, 締結済み, 末現在
    (
        "2024年3月末現在、米国及び英国と締結済み、インドとは実質合意に至っている。",
        "2024-03",
        [("USA", "concluded", ""), ("GBR", "concluded", ""), ("IND", "agreed", "")],
        0,
    ),
    (
        "2023年4月現在、オーストラリアおよび英国との間で締結されている。",
        "2023-04",
        [("AUS", "concluded", ""), ("GBR", "concluded", "")],
        0,
    ),
    (
        "令和5年3月末現在、カナダ並びにフランスとの間で署名されている。",
        "2023-03",
        [("CAN", "signed", ""), ("FRA", "signed", "")],
        0,
    ),
    # full-width letters, an organisation, negotiating
    (
        "２０２２年４月現在、ＵＡＥとの間で締結され、ＮＡＴＯとの間で交渉中である。",
        "2022-04",
        [("ARE", "concluded", ""), ("NATO", "negotiating", "")],
        0,
    ),
    # a country followed by its abbreviation; variants of names
    (
        "2021年4月現在、アメリカ合衆国、大韓民国、豪州、ニュージーランド (NZ) との間で締結されている。",
        "2021-04",
        [("USA", "concluded", ""), ("KOR", "concluded", ""), ("AUS", "concluded", ""), ("NZL", "concluded", "")],
        0,
    ),
    # in force
    (
        "2020年4月現在、英国との間で発効している。",
        "2020-04",
        [("GBR", "in_force", "")],
        0,
    ),
    # an unknown name is kept, with a review item
    (
        "2025年4月現在、米国、ワカンダとの間で締結されている。",
        "2025-04",
        [("USA", "concluded", ""), ("ワカンダ", "concluded", "")],
        1,
    ),
    # a note naming a party that is not listed goes to review
    (
        "2025年4月現在、英国との間で締結されている (※カナダとは別の取極を締結)。",
        "2025-04",
        [("GBR", "concluded", "")],
        1,
    ),
)


def _key(row):
    return row.party.iso3 or (row.party.canonical if row.party.party_type == "organization" else row.country)


@pytest.mark.parametrize(("sentence", "as_of", "expected", "problems"), CASES)
def test_partner_lists(sentence, as_of, expected, problems):
    parsed = parse_list(sentence)
    assert parsed.as_of == as_of
    assert [(_key(r), r.status, r.note) for r in parsed.rows] == expected
    assert len(parsed.problems) == problems, parsed.problems


NOT_LISTS = (
    "共同訓練、国連PKO、人道的な国際救援活動などのために必要な物品または役務の相互の提供に関する基本的な条件を定めるもの。",
    "こうした取組の実施にあたっては、日米同盟を重要な基軸と位置づけつつ、多角的・多層的な防衛協力・交流を推進していく。",
    "2022年6月、岸防衛大臣(当時)は、マールズ・オーストラリア副首相兼国防大臣と東京において会談を実施した。",
)


@pytest.mark.parametrize("sentence", NOT_LISTS)
def test_definitions_and_body_sentences_are_not_lists(sentence):
    assert not looks_like_list(sentence)


COUNTRIES = [
    "米国",
    "英国",
    "オーストラリア",
    "カナダ",
    "フランス",
    "インド",
    "ドイツ",
    "イタリア",
    "フィリピン",
    "マレーシア",
    "インドネシア",
    "ベトナム",
    "タイ",
    "スウェーデン",
    "シンガポール",
    "モンゴル",
    "韓国",
    "ニュージーランド",
    "スペイン",
    "オランダ",
]
STATUS_PHRASES = {
    "concluded": ("との間で締結", "と締結済み"),
    "signed": ("との間で署名", "と署名済み"),
    "in_force": ("との間で発効",),
    "agreed": ("とは実質合意",),
}
SEPARATORS = ("、", "及び", "および", "並びに")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True),
            st.sampled_from(sorted(STATUS_PHRASES)),
            st.integers(0, 1),
            st.sampled_from(SEPARATORS),
        ),
        min_size=1,
        max_size=3,
    ),
    st.integers(2000, 2030),
    st.integers(1, 12),
)
def test_random_lists_are_recovered_exactly(clauses, year, month):
    """Build list sentences from random countries, separators and statuses; parse them back."""
    used: set[str] = set()
    parts, expected = [], []
    for names, status, variant, separator in clauses:
        names = [n for n in names if n not in used]
        if not names:
            continue
        used.update(names)
        phrases = STATUS_PHRASES[status]
        parts.append(separator.join(names) + phrases[variant % len(phrases)])
        expected += [(n, status) for n in names]
    if not parts:
        return
    sentence = f"{year}年{month}月現在、" + "、".join(parts) + "されている。"
    parsed = parse_list(sentence)
    assert parsed.as_of == f"{year}-{month:02d}"
    assert [(r.country, r.status) for r in parsed.rows] == expected
    assert parsed.problems == []
