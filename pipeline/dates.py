"""Japanese date expressions -> ISO-ish values ("YYYY-MM", "YYYY").

The white papers date every agreement event in prose, and the way they write dates changed
over the years: older editions write "16(平成28)年9月" with the western year cut to two digits
and the era in parentheses (later "10(同22)年5月", the era carried over), newer ones write
"2022年10月", and any edition refers back with "同年3月" / "同月" / "同年度".  The extraction
stage needs one comparable value per mention, with the character span kept for provenance,
so this module finds every such expression in a sentence or paragraph, resolves relative
references against the previous date, and tells durations ("3年間", "30年後") apart from dates.

Everything here is a pure function over strings (stdlib only) so it can be tested exhaustively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .scanning import matches, start_class

# --- tunable data ---------------------------------------------------------------------------

# Era name -> first western year (year 1 / 元年 of the era).  Order matters only for inference
# of a carried-over era ("同"): later eras are preferred.
ERAS: dict[str, int] = {
    "明治": 1868,
    "大正": 1912,
    "昭和": 1926,
    "平成": 1989,
    "令和": 2019,
}

# Four-digit numbers followed by 年 are taken as years only inside this range.
MIN_YEAR = 1850
MAX_YEAR = 2199

# A two-digit western year whose era cannot be determined is read as 20YY below this pivot, 19YY otherwise.
TWO_DIGIT_PIVOT = 70

# Years named from the edition's own year (``find_dates``'s ``year``): 本年/今年 = that year, 昨年 = the year before.
EDITION_RELATIVE_YEARS = {"本年": 0, "今年": 0, "昨年": -1, "一昨年": -2}

# Japanese fiscal years start in April: "同年度" after "2024年2月" is fiscal 2023.
FISCAL_YEAR_START_MONTH = 4

# "N年" followed by one of these is a duration or quantity, not a date ("2000年以上").
DURATION_SUFFIXES = ("間", "以上", "以内", "未満", "ぶり", "余り", "超")

# "同年" followed by one of these is "same age/generation", not "the same year".
SAME_YEAR_NON_DATE = ("代", "齢", "輩")

# After a date, these mark an as-of expression: "2025年4月現在", "令和7年3月末時点".
AS_OF_WORDS = ("現在", "時点")
AS_OF_PATTERN = re.compile(rf"[ \u3000]?(?:末|初め|初|上旬|中旬|下旬)?[ \u3000]?(?:{'|'.join(AS_OF_WORDS)})")

# Full-width forms mapped one-to-one (so character offsets are preserved) before matching.
_FULLWIDTH_FORMS = "０１２３４５６７８９（）ＦＹｆｙ"
_FULLWIDTH = str.maketrans(_FULLWIDTH_FORMS, "0123456789()FYfy")
_HAS_FULLWIDTH = re.compile(f"[{_FULLWIDTH_FORMS}]")

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}

# --- the pattern ----------------------------------------------------------------------------

_SP = r"[ \t\u3000\u00a0]?"  # a single optional space, as PDF text extraction sometimes inserts
_ERA = "|".join(ERAS)
_ERA_NUM = r"元|[0-9]{1,2}|[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12][0-9]|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"


def _month_day(prefix: str) -> str:
    """Optional "M月" / "M月D日" after a year; groups <prefix>_m and <prefix>_d."""
    return rf"(?:{_SP}(?P<{prefix}_m>{_MONTH}){_SP}月(?:{_SP}(?P<{prefix}_d>{_DAY}){_SP}日)?)?"


def _year_tail(prefix: str) -> str:
    """What may follow "年": 度 (fiscal year) or an optional month and day."""
    return rf"(?:(?P<{prefix}_fy>度)|{_month_day(prefix)})"


_DATE_RE = re.compile(
    rf"""
    # 16(平成28)年9月 / 2014(平成26)年 / 10(同22)年5月: western year, era in parentheses; 99年(平成11)年5月: the
    # same with a stray 年 after the western year, as some older editions print it
    (?P<paren>
        (?<![0-9])(?P<p_w>[0-9]{{4}}|[0-9]{{2}}){_SP}(?:年{_SP})?\({_SP}(?P<p_era>{_ERA}|同){_SP}(?P<p_n>{_ERA_NUM}){_SP}\)
        {_SP}年{_year_tail("p")}
    )
    # 令和7年3月 / 平成28(2016)年 / 令和5年度 / 同26年: era year, western year optionally in parentheses
    | (?P<era>
        (?:(?P<e_era>{_ERA})(?P<e_n>{_ERA_NUM})|(?P<e_same>同)(?P<e_sn>[0-9]{{1,2}}))
        {_SP}(?:\({_SP}(?P<e_w>[0-9]{{4}}){_SP}\){_SP})?年{_year_tail("e")}
    )
    # 2022年10月 / 2025年4月1日 / 2023年度 / 二〇二五年
    | (?P<west>
        (?<![0-9,.〇一二三四五六七八九十])(?P<w_y>[0-9]{{4}}|[〇一二三四五六七八九]{{4}})(?![0-9])
        {_SP}年{_year_tail("w")}
    )
    # FY2023
    | (?P<fy>
        (?<![A-Za-z])FY{_SP}(?P<f_y>[0-9]{{4}})(?![0-9])
    )
    # 本年3月 / 昨年 / 本年度: the year the edition covers (find_dates's ``year``)
    | (?P<book>
        (?P<b_which>{"|".join(sorted(EDITION_RELATIVE_YEARS, key=len, reverse=True))})(?:(?P<b_fy>度)|{_month_day("b")})
    )
    # 即日: the day of the previous date
    | (?P<sameday>即日)
    # 同年度 / 同年3月 / 同年 / 同月 / 同日 / 翌年 / 翌月 / 翌年度: relative to the previous date
    | (?P<rel>
        (?P<r_which>[同翌])
        (?:(?P<r_fy>年度)
          |(?P<r_year>年)(?!{"|".join(SAME_YEAR_NON_DATE)}){_month_day("r")}
          |(?P<r_month>月)(?:{_SP}(?P<r_md>{_DAY}){_SP}日)?
          |(?<=同)(?P<r_day>日))
    )
    # 5月 / 9月1日: a bare month, year from context
    | (?P<month>
        (?<![0-9,./年])(?P<m_m>1[0-2]|0?[1-9]){_SP}月(?:{_SP}(?P<m_d>{_DAY}){_SP}日)?
    )
    """,
    re.VERBOSE,
)

# The top-level alternatives of _DATE_RE.
_KINDS = ("paren", "era", "west", "fy", "book", "sameday", "rel", "month")

# Every alternative of _DATE_RE holds 年, 月, 即日, 同日 or FY (full-width or not): a text without any of them has
# no date. Two sentences in three of the book have none, and this test costs a hundredth of the full pattern.
_DATE_HINT = re.compile(r"[年月]|即日|同日|[FＦ][YＹ]")
# The characters an alternative of _DATE_RE starts with (a digit, an era, 同, 本年…): the pattern is tried only at
# them, which is six times faster than letting ``finditer`` try its nine alternatives at every character.
_DATE_START = start_class(
    "0123456789〇一二三四五六七八九同翌即F" + "".join(word[0] for word in (*ERAS, *EDITION_RELATIVE_YEARS))
)

_PREVIOUS_RE = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2}))?")


# --- public API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    """One date expression found in a text, with its resolved value."""

    start: int  # character offsets of the expression in the text given
    end: int
    text: str  # the expression as written, e.g. "16(平成28)年9月", "同月", "令和5年度"
    value: str  # "YYYY-MM" or "YYYY"; "" when it cannot be resolved (e.g. 同年 with nothing before)
    fiscal: bool  # True for fiscal years (年度): value is then "YYYY" of the fiscal year's start
    relative: bool  # True for 同年/同月/同年3月 etc. that were resolved against an earlier date


def era_to_year(era: str, year: str) -> int:
    """Western year of year `year` of `era`: ("令和", "元") -> 2019, ("平成", "28") -> 2016.

    `year` may be "元", ASCII or full-width digits, or kanji numerals ("二十五").
    Raises ValueError for an unknown era or an unreadable year.
    """
    era = era.strip()
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; known eras: {', '.join(ERAS)}")
    n = _number(year.strip().translate(_FULLWIDTH))
    if n < 1:
        raise ValueError(f"era year must be 元 or at least 1, got {year!r}")
    return ERAS[era] + n - 1


# An edition's title as printed: 令和7年版, 平成28年版, 令和元年版.
EDITION_TITLE = re.compile(r"(令和|平成)(元|\d{1,2})年版")


def title_of_year(year: int) -> str:
    """The title an edition of ``year`` is published under: 2025 → 令和7年版, 2019 → 令和元年版, 2018 → 平成30年版.

    Editions come out in summer, after any change of era in spring (令和 began on 1 May 2019)."""
    era, start = max(((name, first) for name, first in ERAS.items() if first <= year), key=lambda item: item[1])
    number = year - start + 1
    return f"{era}{'元' if number == 1 else number}年版"


def find_dates(text: str, previous: str = "", year: int | None = None) -> list[DateMention]:
    """All date expressions in text, left to right.

    Relative references (同年, 同月, 同年3月, 同年度, 即日, bare "5月") resolve against the previous
    mention in the text, or against `previous` (a "YYYY" or "YYYY-MM" value carried over from
    earlier sentences of the same paragraph) when none precedes. 本年/今年/昨年 are counted from
    `year`, the year the edition is published (the book is written in its first months: the 2025
    edition's 本年3月 is 2025-03); without `year` they are not read as dates.
    """
    if not _DATE_HINT.search(text):
        return []
    ctx = _Context.from_previous(previous)
    mentions: list[DateMention] = []
    for m in matches(_DATE_RE, _DATE_START, text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text):
        try:
            mention = _resolve(m, text, ctx, year)
        except ValueError:  # e.g. "平成0年": shaped like a date but not one
            mention = None
        if mention is None:
            continue
        mentions.append(mention)
        ctx.update(mention)
    return mentions


def parse_as_of(text: str) -> str:
    """The as-of date of a partner list sentence: "2025年4月現在" -> "2025-04".

    Also "令和7年3月末現在" -> "2025-03", "2025年4月1日現在" / "2025年4月末時点" -> "2025-04".
    Returns "" when the text has no (resolvable) as-of expression.
    """
    if not any(word in text for word in AS_OF_WORDS):  # most sentences: no need to read their dates
        return ""
    for mention in find_dates(text):
        if mention.value and AS_OF_PATTERN.match(text, mention.end):
            return mention.value
    return ""


# --- helpers --------------------------------------------------------------------------------


@dataclass
class _Context:
    """The date the next relative reference resolves against, and the era 同 refers to."""

    year: int | None = None
    month: int | None = None
    fiscal: bool = False
    era: str | None = None

    @classmethod
    def from_previous(cls, previous: str) -> _Context:
        """Context seeded from a carried-over "YYYY" / "YYYY-MM" value (ignored if malformed)."""
        m = _PREVIOUS_RE.fullmatch((previous or "").strip())
        if not m:
            return cls()
        month = int(m["m"]) if m["m"] else None
        return cls(year=int(m["y"]), month=month if month and 1 <= month <= 12 else None)

    def update(self, mention: DateMention) -> None:
        """Make a resolved mention the reference for what follows."""
        if not mention.value:
            return
        self.year = int(mention.value[:4])
        self.month = int(mention.value[5:7]) if len(mention.value) > 4 else None
        self.fiscal = mention.fiscal

    def fiscal_year(self) -> int | None:
        """Fiscal year containing the context date (April start)."""
        if self.year is None or self.fiscal or self.month is None:
            return self.year
        return self.year - 1 if self.month < FISCAL_YEAR_START_MONTH else self.year

    def year_era(self) -> str | None:
        """The latest era that had begun by the context year (for a bare "同26年")."""
        eras = [name for name, first in ERAS.items() if self.year is not None and first <= self.year]
        return eras[-1] if eras else None


def _number(s: str) -> int:
    """ASCII digits, 元, or kanji numerals (positional "二〇二五" or with 十, "二十五") -> int."""
    if s == "元":
        return 1
    if s.isascii() and s.isdigit():
        return int(s)
    if not s:
        raise ValueError("empty number")
    if "十" in s:
        tens, _, ones = s.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            raise ValueError(f"unreadable kanji numeral {s!r}")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    try:
        return int("".join(str(_KANJI_DIGITS[c]) for c in s))
    except KeyError:
        raise ValueError(f"unreadable number {s!r}") from None


def _value(year: int | None, month: str | int | None = None) -> str:
    """Format as "YYYY" or "YYYY-MM" ("" without a year)."""
    if year is None or not 0 < year < 10000:
        return ""
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{_number(month) if isinstance(month, str) else month:02d}"


def _is_duration(text: str, end: int) -> bool:
    """True when the 年 ending at `end` is followed by a duration word ("年間", "年以上")."""
    return text.startswith(DURATION_SUFFIXES, end)


def _resolve(m: re.Match[str], text: str, ctx: _Context, edition_year: int | None) -> DateMention | None:
    """Turn one regex match into a DateMention, or None when it is not a date after all."""
    kind = next(k for k in _KINDS if m[k] is not None)
    start, end = m.span()
    fiscal = relative = False
    month: str | None = None

    if kind == "paren":
        year = _paren_year(m["p_w"], m["p_era"], m["p_n"], ctx)
        fiscal, month = bool(m["p_fy"]), m["p_m"]
    elif kind == "book":  # 本年, 昨年: only with the edition's year (without it, 昨年と今年 is no date)
        if not edition_year:
            return None
        year = edition_year + EDITION_RELATIVE_YEARS[m["b_which"]]
        fiscal, month = bool(m["b_fy"]), m["b_m"]
    elif kind == "sameday":  # 即日: the previous date as it stands
        year, month, fiscal = ctx.year, ctx.month, ctx.fiscal
        relative = bool(_value(year))
    elif kind == "era":
        if m["e_era"]:
            ctx.era = m["e_era"]
            year = era_to_year(m["e_era"], m["e_n"])
        else:  # 同26年: the era named last, else the era of the context year
            era = ctx.era or ctx.year_era()
            year = era_to_year(era, m["e_sn"]) if era else None
        fiscal, month = bool(m["e_fy"]), m["e_m"]
        if month is None and not fiscal and _is_duration(text, end):
            return None
    elif kind == "west":
        year = _number(m["w_y"])
        fiscal, month = bool(m["w_fy"]), m["w_m"]
        if not MIN_YEAR <= year <= MAX_YEAR or (month is None and not fiscal and _is_duration(text, end)):
            return None
    elif kind == "fy":
        year, fiscal = int(m["f_y"]), True
    else:
        year, month, fiscal = _relative(m, ctx)
        relative = bool(_value(year))
    value = _value(year, None if fiscal else month)
    return DateMention(start, end, text[start:end], value, fiscal, relative)


def _paren_year(western: str, era: str, era_num: str, ctx: _Context) -> int:
    """Year of "16(平成28)年": from the era when known (it wins over a disagreeing western year)."""
    if era != "同":
        ctx.era = era
        return era_to_year(era, era_num)
    if ctx.era:
        return era_to_year(ctx.era, era_num)
    if len(western) == 4:
        return int(western)
    # 同 with no era named yet: the era in which era_num falls in a year ending in the two digits given.
    yy = int(western)
    for name in reversed(ERAS):
        candidate = era_to_year(name, era_num)
        if candidate % 100 == yy:
            ctx.era = name
            return candidate
    return yy + (2000 if yy < TWO_DIGIT_PIVOT else 1900)


def _relative(m: re.Match[str], ctx: _Context) -> tuple[int | None, str | int | None, bool]:
    """(year, month, fiscal) of 同年/同月/同年3月/同年度/翌年/bare 5月 against the context."""
    step = 1 if m["r_which"] == "翌" else 0
    if m["month"] is not None:  # bare month
        return ctx.year, m["m_m"], False
    if m["r_fy"]:
        fy = ctx.fiscal_year()
        return (fy + step if fy is not None else None), None, True
    if m["r_year"]:
        year = ctx.year + step if ctx.year is not None else None
        return year, m["r_m"], False
    if m["r_month"]:
        if ctx.year is None or ctx.month is None:
            return None, None, False
        total = ctx.year * 12 + ctx.month - 1 + step
        return total // 12, total % 12 + 1, False
    # 同日: the previous value as it stands
    return ctx.year, ctx.month, ctx.fiscal
