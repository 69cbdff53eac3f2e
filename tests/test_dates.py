"""Tests for pipeline.dates: Japanese date expressions as written in the white papers."""

from __future__ import annotations

import re
import time

import pytest
from corpus_passages import CORPUS_2016_B, CORPUS_2019_A, CORPUS_2019_B
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    _DATE_HINT,
    _DATE_RE,
    _DATE_START,
    _FULLWIDTH,
    DateMention,
    era_to_year,
    find_dates,
    parse_as_of,
)
from pipeline.scanning import matches

VALUE_RE = re.compile(r"(?:[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?)?")

# --- real passages (copied from /work/shared/corpus so the tests run without it) ------------

# 2016 edition, III部 日豪防衛協力・交流 (n3214000)
CORPUS_2016_A = (
    "日豪間の防衛協力・交流は、07(平成19)年3月、米国以外では初の安全保障に特化した共同宣言である"
    "「安全保障協力に関する日豪共同宣言」を発表して以来、着実に進展しており、現在ではより実際的・"
    "具体的な協力の段階に移行している。"
)
CORPUS_2016_C = "さらに、12(同24)年9月、第4回日豪「2+2」会合において、"
# 2019 edition, II部 新たな日米ACSAなどの締結 (n25304000)
# 2017 edition, 凡例 (nh000000)
CORPUS_2017 = "本書の記述対象期間は、原則として平成29年6月末まです。"
CORPUS_2017_NUMBERS = "最大速度:マッハ1.25 最大行動半径:11,991km ペイロード:機内34,019kg、機外31,751kg"
# 2023 edition, III部 オーストラリア (n330102000)
CORPUS_2023_A = (
    "日豪防衛協力の深化を背景に、変化する安全保障環境への対応や自由で開かれた国際秩序の維持・強化のため、"
    "2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表したほか、"
)
CORPUS_2023_B = "2022年6月、岸防衛大臣(当時)は、マールズ・オーストラリア副首相兼国防大臣と東京において会談を実施し、"
# 2025 edition, III部3章 同志国などとの連携 (seed document)
CORPUS_2025_RAA = "2025年4月現在、オーストラリア、英国との間で締結、フィリピンとの間で署名されている。"
CORPUS_2025_ACSA = (
    "2025年4月現在、米国、オーストラリア、英国、カナダ、フランス、インド、ドイツとの間で締結され、"
    "イタリアとの間で署名されている。"
)
CORPUS_2025_FOIP_A = (
    "2016年8月、安倍内閣総理大臣(当時)はケニアで開催された第6回アフリカ開発会議(TICAD VI)の基調演説において、"
    "「自由で開かれたインド太平洋」(Free and Open Indo-Pacific)の考え方を提唱。"
)
CORPUS_2025_FOIP_B = (
    "2023年3月、岸田内閣総理大臣(当時)は、インドで開催されたインド世界問題評議会(ICWA)の政策スピーチで、"
    "「FOIPのための新たなプラン」を発表。"
)
CORPUS_2025_NO_DATES = (
    "国家防衛戦略における第一の目標は、同盟国・同志国などと連携し、力による一方的な現状変更を許容しない"
    "安全保障環境を創出していくことである。インド太平洋地域は、世界人口の半数を擁する世界の活力の中核であり、"
)

# (text, values of all mentions left to right)
CORPUS_CASES = (
    (CORPUS_2016_A, ["2007-03"]),
    (CORPUS_2016_B, ["2010-05", "2013-01", "2013-03"]),
    (
        CORPUS_2016_A + "\n\n" + CORPUS_2016_B + "\n\n" + CORPUS_2016_C,
        ["2007-03", "2010-05", "2013-01", "2013-03", "2012-09"],
    ),
    (CORPUS_2019_A, ["2016-09", "2017-04", "2017-04"]),
    (
        CORPUS_2019_A + CORPUS_2019_B,
        ["2016-09", "2017-04", "2017-04", "2017", "2019-05", "2019-06", "2019-07"],
    ),
    (CORPUS_2017, ["2017-06"]),
    (CORPUS_2017_NUMBERS, []),
    (CORPUS_2023_A, ["2022-10"]),
    (CORPUS_2023_B, ["2022-06"]),
    (CORPUS_2025_RAA, ["2025-04"]),
    (CORPUS_2025_FOIP_A, ["2016-08"]),
    (CORPUS_2025_FOIP_B, ["2023-03"]),
    (CORPUS_2025_NO_DATES, []),
)

# --- single expressions: (text, (expression as matched, value, fiscal, relative)) -----------

SINGLE_CASES = (
    # western two-digit year, era in parentheses
    ("16(平成28)年9月", ("16(平成28)年9月", "2016-09", False, False)),
    ("07(平成19)年3月", ("07(平成19)年3月", "2007-03", False, False)),
    ("19(令和元)年5月", ("19(令和元)年5月", "2019-05", False, False)),
    ("89(平成元)年", ("89(平成元)年", "1989", False, False)),
    ("88(昭和63)年12月", ("88(昭和63)年12月", "1988-12", False, False)),
    ("10(同22)年5月に", ("10(同22)年5月", "2010-05", False, False)),  # era inferred: 平成22 = 2010
    ("99(同11)年", ("99(同11)年", "1999", False, False)),
    ("16(平成27)年", ("16(平成27)年", "2015", False, False)),  # disagreement: the era wins
    ("16(平成28)年度", ("16(平成28)年度", "2016", True, False)),
    ("2014(平成26)年", ("2014(平成26)年", "2014", False, False)),
    ("2014(平成26)年7月1日", ("2014(平成26)年7月1日", "2014-07", False, False)),
    # tolerance: full-width digits and parentheses, spaces
    ("１６（平成２８）年９月", ("１６（平成２８）年９月", "2016-09", False, False)),
    ("16 (平成28)年9月", ("16 (平成28)年9月", "2016-09", False, False)),
    ("16（平成28）年9月", ("16（平成28）年9月", "2016-09", False, False)),
    ("２０２５年４月１日", ("２０２５年４月１日", "2025-04", False, False)),
    ("2025 年 4 月", ("2025 年 4 月", "2025-04", False, False)),
    # four-digit years
    ("2014年12月", ("2014年12月", "2014-12", False, False)),
    ("2022年10月、", ("2022年10月", "2022-10", False, False)),
    ("2025年4月1日", ("2025年4月1日", "2025-04", False, False)),
    ("2025年", ("2025年", "2025", False, False)),
    ("2025年以降", ("2025年", "2025", False, False)),
    ("2025年末", ("2025年", "2025", False, False)),
    ("二〇二五年", ("二〇二五年", "2025", False, False)),
    # era years
    ("令和元年", ("令和元年", "2019", False, False)),
    ("平成25年", ("平成25年", "2013", False, False)),
    ("令和7年3月", ("令和7年3月", "2025-03", False, False)),
    ("昭和63年", ("昭和63年", "1988", False, False)),
    ("明治45年", ("明治45年", "1912", False, False)),
    ("大正15年", ("大正15年", "1926", False, False)),
    ("平成31年4月30日", ("平成31年4月30日", "2019-04", False, False)),
    ("平成二十五年三月", ("平成二十五年三月", "2013-03", False, False)),
    ("令和七年十二月一日", ("令和七年十二月一日", "2025-12", False, False)),
    ("平成28(2016)年", ("平成28(2016)年", "2016", False, False)),
    ("令和元(2019)年5月", ("令和元(2019)年5月", "2019-05", False, False)),
    ("令和7年版", ("令和7年", "2025", False, False)),
    # fiscal years
    ("令和5年度", ("令和5年度", "2023", True, False)),
    ("令和元年度", ("令和元年度", "2019", True, False)),
    ("2023年度", ("2023年度", "2023", True, False)),
    ("2023年度末", ("2023年度", "2023", True, False)),
    ("FY2023", ("FY2023", "2023", True, False)),
    ("ＦＹ２０２３", ("ＦＹ２０２３", "2023", True, False)),
    # relative references with nothing before: unresolved
    ("同年", ("同年", "", False, False)),
    ("同月", ("同月", "", False, False)),
    ("同年3月", ("同年3月", "", False, False)),
    ("同年度", ("同年度", "", True, False)),
    ("同日", ("同日", "", False, False)),
    ("5月", ("5月", "", False, False)),
    ("同26年4月", ("同26年4月", "", False, False)),
)

# --- sequences: ((text, previous), [(value, fiscal, relative), ...]) -------------------------

SEQUENCE_CASES = (
    # relative references resolve against the previous mention in the text
    (("2013年1月に発効し、同年3月には", ""), [("2013-01", False, False), ("2013-03", False, True)]),
    (("2017年4月に承認され、同月に発効", ""), [("2017-04", False, False), ("2017-04", False, True)]),
    (("2017年4月に承認され、同年発効", ""), [("2017-04", False, False), ("2017", False, True)]),
    (("2017年4月1日に署名、同日発効", ""), [("2017-04", False, False), ("2017-04", False, True)]),
    (("令和5年度に着手し、同年度中に", ""), [("2023", True, False), ("2023", True, True)]),
    (("2023年5月に決定、同年度中に", ""), [("2023-05", False, False), ("2023", True, True)]),
    # fiscal years start in April, so February 2024 is in fiscal 2023
    (("2024年2月に決定、同年度中に", ""), [("2024-02", False, False), ("2023", True, True)]),
    (("2019年12月に署名、翌年3月に発効", ""), [("2019-12", False, False), ("2020-03", False, True)]),
    (("2019年12月に署名、翌月に発効", ""), [("2019-12", False, False), ("2020-01", False, True)]),
    (("令和5年度、翌年度", ""), [("2023", True, False), ("2024", True, True)]),
    (("同年3月", "2013"), [("2013-03", False, True)]),
    (("同年3月", "2013-01"), [("2013-03", False, True)]),
    (("同月に発効", "2017-04"), [("2017-04", False, True)]),
    (("同月に発効", "2017"), [("", False, False)]),  # no month to carry over
    (("同年", "2017-04"), [("2017", False, True)]),
    (("同年度", "2024-05"), [("2024", True, True)]),
    (("同日", "2017-04"), [("2017-04", False, True)]),
    (("2010年5月", "2001"), [("2010-05", False, False)]),  # previous does not affect absolute dates
    (("同年3月", "garbage"), [("", False, False)]),  # malformed previous is ignored
    # the text wins over `previous` once it has a date
    (("2020年1月。同年5月", "2013"), [("2020-01", False, False), ("2020-05", False, True)]),
    # bare months
    (("5月に発効", "2020"), [("2020-05", False, True)]),
    (("9月1日に発効", "2020-03"), [("2020-09", False, True)]),
    (("2019年4月~6月", ""), [("2019-04", False, False), ("2019-06", False, True)]),
    # ranges
    (("2019年4月から2020年3月まで", ""), [("2019-04", False, False), ("2020-03", False, False)]),
    (("2019年4月から同年6月まで", ""), [("2019-04", False, False), ("2019-06", False, True)]),
    (("令和元年5月から令和2年3月まで", ""), [("2019-05", False, False), ("2020-03", False, False)]),
    # 同 era carried over, not a relative reference
    (("平成25年に署名、同26年4月に発効", ""), [("2013", False, False), ("2014-04", False, False)]),
    (("同26年4月", "2015"), [("2014-04", False, False)]),  # era of the previous year
    (("07(平成19)年3月。10(同22)年5月", ""), [("2007-03", False, False), ("2010-05", False, False)]),
    (("19(令和元)年5月。20(同2)年", ""), [("2019-05", False, False), ("2020", False, False)]),
    (("16(平成28)年。10(同2)年", ""), [("2016", False, False), ("1990", False, False)]),  # era wins
    # an unresolved mention does not break the chain
    (
        ("同年、2018年2月、同月", ""),
        [("", False, False), ("2018-02", False, False), ("2018-02", False, True)],
    ),
)

# --- not dates ------------------------------------------------------------------------------

NON_DATES = (
    "第3回日豪「2+2」",
    "最大行動半径:11,991km",
    "30年後の防衛力",
    "3年間にわたり",
    "10年以上",
    "半年ごとに",
    "毎年実施",
    "昨年と今年",
    "2000年以上前",
    "2025年間",
    "12,2025年",
    "1200年",
    "同年代の隊員",
    "同年齢",
    "同一年度内",
    "3か月",
    "3ヶ月",
    "3カ月間",
    "13月",
    "平成0年",
    "普遍的価値9のみならず",
    "ACSA)10及び",
    "翌日",
    "",
)

# --- forms of the older editions and dates named from the edition's year ----------------------
# (text, previous, edition year, [(value, fiscal, relative)])
EDITION_CASES = (
    ("99年(平成11)年5月", "", None, [("1999-05", False, False)]),  # as printed in older editions
    ("03(同15)年9月", "", None, [("2003-09", False, False)]),  # 同 before any era: the era of 2003
    ("平成11年", "", None, [("1999", False, False)]),
    ("本年3月", "", 2025, [("2025-03", False, False)]),
    ("今年", "", 2025, [("2025", False, False)]),
    ("昨年8月", "", 2023, [("2022-08", False, False)]),
    ("一昨年", "", 2023, [("2021", False, False)]),
    ("本年度", "", 2023, [("2023", True, False)]),
    ("昨年1月に署名し、本年8月に発効", "", 2023, [("2022-01", False, False), ("2023-08", False, False)]),
    ("本年3月", "", None, []),  # without the edition's year, no date
    ("2017年、署名し、即日発効", "", None, [("2017", False, False), ("2017", False, True)]),
    ("即日", "2019-03", None, [("2019-03", False, True)]),
    ("即日", "", None, [("", False, False)]),
)


@pytest.mark.parametrize(("text", "previous", "year", "expected"), EDITION_CASES)
def test_edition_forms(text, previous, year, expected):
    assert [(m.value, m.fiscal, m.relative) for m in find_dates(text, previous, year)] == expected


# --- as-of dates: (text, expected) ----------------------------------------------------------

AS_OF_CASES = (
    ("2025年4月現在", "2025-04"),
    (CORPUS_2025_RAA, "2025-04"),
    (CORPUS_2025_ACSA, "2025-04"),
    ("令和7年3月末現在", "2025-03"),
    ("2025年4月1日現在", "2025-04"),
    ("2025年4月末時点", "2025-04"),
    ("(2024年3月31日時点)", "2024-03"),
    ("2025年現在", "2025"),
    ("２０２５年４月現在", "2025-04"),
    ("2025年4月 現在", "2025-04"),
    ("2016年8月、安倍内閣総理大臣(当時)は", ""),  # a date, but not an as-of date
    ("現在、締結されている。", ""),
    ("同年4月現在", ""),  # unresolvable
    (CORPUS_2016_B, ""),
    ("", ""),
)

# --- era_to_year ----------------------------------------------------------------------------

ERA_CASES = (
    (("令和", "元"), 2019),
    (("令和", "1"), 2019),
    (("令和", "7"), 2025),
    (("平成", "28"), 2016),
    (("平成", "元"), 1989),
    (("平成", "31"), 2019),
    (("昭和", "63"), 1988),
    (("昭和", "元"), 1926),
    (("大正", "15"), 1926),
    (("明治", "45"), 1912),
    (("平成", "２８"), 2016),
    (("平成", "二十五"), 2013),
    (("令和", "十"), 2028),
    (("令和", "三"), 2021),
)

ERA_ERRORS = (
    ("天平", "1"),
    ("同", "22"),
    ("", "1"),
    ("平成", "0"),
    ("平成", ""),
    ("平成", "abc"),
    ("平成", "十十"),
)


@pytest.mark.parametrize(("text", "expected"), CORPUS_CASES)
def test_corpus_passages(text: str, expected: list[str]) -> None:
    assert [m.value for m in find_dates(text)] == expected


@pytest.mark.parametrize(("text", "expected"), SINGLE_CASES)
def test_single_expression(text: str, expected: tuple[str, str, bool, bool]) -> None:
    mentions = find_dates(text)
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert (m.text, m.value, m.fiscal, m.relative) == expected
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(("given", "expected"), SEQUENCE_CASES)
def test_sequence(given: tuple[str, str], expected: list[tuple[str, bool, bool]]) -> None:
    text, previous = given
    assert [(m.value, m.fiscal, m.relative) for m in find_dates(text, previous)] == expected


@pytest.mark.parametrize("text", NON_DATES)
def test_not_a_date(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(("text", "expected"), AS_OF_CASES)
def test_parse_as_of(text: str, expected: str) -> None:
    assert parse_as_of(text) == expected


@pytest.mark.parametrize(("args", "expected"), ERA_CASES)
def test_era_to_year(args: tuple[str, str], expected: int) -> None:
    assert era_to_year(*args) == expected


@pytest.mark.parametrize("args", ERA_ERRORS)
def test_era_to_year_rejects(args: tuple[str, str]) -> None:
    with pytest.raises(ValueError):
        era_to_year(*args)


def test_offsets_in_corpus_passage() -> None:
    mentions = find_dates(CORPUS_2016_B)
    assert [m.text for m in mentions] == ["10(同22)年5月", "13(同25)年1月", "同年3月"]
    for m in mentions:
        assert CORPUS_2016_B[m.start : m.end] == m.text
    assert mentions[0].start == 0
    assert mentions == sorted(mentions, key=lambda m: m.start)


def test_mention_is_frozen() -> None:
    m = find_dates("2025年4月")[0]
    assert m == DateMention(0, 7, "2025年4月", "2025-04", False, False)
    with pytest.raises(AttributeError):
        m.value = "2000"  # type: ignore[misc]


def test_long_input_is_fast() -> None:
    text = ("同年" * 5000) + ("2" * 20000) + ("(平成" * 5000) + ("16(平成28)年9月、同月。" * 2000)
    started = time.perf_counter()
    mentions = find_dates(text)
    assert time.perf_counter() - started < 5
    assert mentions[-1].value == "2016-09"


# --- properties -----------------------------------------------------------------------------

DATE_SEEDS = (
    "16(平成28)年9月",
    "10(同22)年5月",
    "19(令和元)年5月",
    "2014(平成26)年",
    "2025年4月1日現在",
    "令和7年3月末現在",
    "令和5年度",
    "同年3月",
    "同月",
    "同年度",
    "平成二十五年三月",
    "FY2023",
    "5月",
)
ALPHABET = "0123456789０１２３４５６７８９()（） ,.年月日度同翌元現在時点末間以上第回平成令和昭和十二三FY、。"


def _check_mentions(text: str, mentions: list[DateMention]) -> None:
    """Invariants every result must satisfy."""
    last_end = 0
    for m in mentions:
        assert last_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert VALUE_RE.fullmatch(m.value), m.value
        assert not (m.fiscal and len(m.value) > 4)
        assert not (m.relative and not m.value)
        last_end = m.end


@settings(max_examples=300)
@given(
    text=st.text(alphabet=ALPHABET, max_size=60),
    previous=st.sampled_from(["", "2013", "2017-04", "x", "9999-99"]),
)
def test_random_text_never_crashes(text: str, previous: str) -> None:
    mentions = find_dates(text, previous)
    _check_mentions(text, mentions)
    assert isinstance(parse_as_of(text), str)


@settings(max_examples=300)
@given(
    seed=st.sampled_from(DATE_SEEDS),
    edits=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(["insert", "delete", "replace"]), st.sampled_from(ALPHABET)),
        max_size=4,
    ),
    prefix=st.text(max_size=10),
    suffix=st.text(max_size=10),
)
def test_mutated_dates_never_crash(seed: str, edits: list[tuple[int, str, str]], prefix: str, suffix: str) -> None:
    chars = list(seed)
    for pos, op, ch in edits:
        i = pos % (len(chars) + 1)
        if op == "insert":
            chars.insert(i, ch)
        elif chars and i < len(chars):
            if op == "delete":
                del chars[i]
            else:
                chars[i] = ch
    text = prefix + "".join(chars) + suffix
    _check_mentions(text, find_dates(text))
    assert VALUE_RE.fullmatch(parse_as_of(text))


@settings(max_examples=500)
@given(text=st.text(alphabet=ALPHABET + "即本今昨一翌ＦＹfy", max_size=40))
def test_the_shortcuts_miss_no_date(text: str) -> None:
    """find_dates skips a text without 年, 月, 即日, 同日 or FY: no match of the full pattern may lack all of them; and
    it tries the pattern only where a date may start: it must find what the pattern finds everywhere."""
    norm = text.translate(_FULLWIDTH)
    for m in _DATE_RE.finditer(norm):
        assert _DATE_HINT.search(text, m.start(), m.end()), m.group()
    assert [m.span() for m in matches(_DATE_RE, _DATE_START, norm)] == [m.span() for m in _DATE_RE.finditer(norm)]


def _era_of(year: int) -> tuple[str, str]:
    """Era name and era-year numeral ("元" for 1) of a western year in 1990-2040."""
    era, n = ("平成", year - 1988) if year < 2019 else ("令和", year - 2018)
    return era, "元" if n == 1 else str(n)


@given(year=st.integers(1990, 2040), month=st.integers(1, 12))
def test_round_trip_western_and_era(year: int, month: int) -> None:
    era, n = _era_of(year)
    expected = f"{year}-{month:02d}"
    forms = (
        f"{year}年{month}月",
        f"{year}年{month:02d}月",
        f"{era}{n}年{month}月",
        f"{year % 100:02d}({era}{n})年{month}月",
        f"{year}({era}{n})年{month}月",
        f"{era}{n}({year})年{month}月",
        f"{year}年{month}月1日",
    )
    for form in forms:
        assert [m.value for m in find_dates(form)] == [expected], form
        assert parse_as_of(form + "現在") == expected, form


@given(year=st.integers(1990, 2040))
def test_round_trip_fiscal(year: int) -> None:
    era, n = _era_of(year)
    for form in (f"{year}年度", f"{era}{n}年度", f"FY{year}"):
        assert [(m.value, m.fiscal) for m in find_dates(form)] == [(str(year), True)], form


@pytest.mark.parametrize(
    ("year", "title"),
    [(2025, "令和7年版"), (2020, "令和2年版"), (2019, "令和元年版"), (2018, "平成30年版"), (1989, "平成元年版")],
)
def test_edition_title_of_a_year(year, title):
    from pipeline.dates import title_of_year

    assert title_of_year(year) == title
