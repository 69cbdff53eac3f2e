"""A heading's number is not part of its words (punctuation.without_heading_number), for acronyms and mentions:
「5国連三角パートナーシップ・プログラム（UNTPP）」 defines UNTPP as 国連三角パートナーシップ・プログラム, 「4米韓同盟」
names the US and South Korea. A count (3か国) or a year (2025年度) is a word of the title."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_blocks
from pipeline.punctuation import without_heading_number

# (heading, without its number)
NUMBERS = (
    ("4米韓同盟・在韓米軍", " 米韓同盟・在韓米軍"),
    ("5 女性・平和・安全保障（WPS）推進に向けた取組", "  女性・平和・安全保障（WPS）推進に向けた取組"),
    ("12 各国との防衛協力", "   各国との防衛協力"),
    ("3か国による協力", "3か国による協力"),
    ("2025年度予算", "2025年度予算"),
    ("10年間の取組", "10年間の取組"),
    ("第3章 同志国などとの連携", "第3章 同志国などとの連携"),
    ("(1)オーストラリアとの防衛協力・交流の意義", "(1)オーストラリアとの防衛協力・交流の意義"),
)


@pytest.mark.parametrize(("heading", "expected"), NUMBERS)
def test_without_heading_number(heading, expected):
    assert without_heading_number(heading) == expected


def _heading(text: str) -> dict:
    return {"edition": "2025", "file": "x.pdf", "page": 1, "printed_page": "1", "kind": "heading", "level": 2,
            "label": "", "title": "", "text": text, "ruby": [], "title_ruby": [], "footnote_marks": []}  # fmt: skip


def test_a_heading_number_is_not_part_of_an_acronyms_term():
    tables = extract_blocks("2025", [_heading("5国連三角パートナーシップ・プログラム(UNTPP)への支援")], [])
    assert [(r["abbr"], r["term"]) for r in tables.rows["acronyms"]] == [
        ("UNTPP", "国連三角パートナーシップ・プログラム")
    ]


def test_a_heading_number_does_not_hide_a_pair_name():
    tables = extract_blocks("2025", [_heading("4米韓同盟・在韓米軍")], [])
    assert {(r["iso3"], r["mentions"]) for r in tables.rows["country_mentions"]} == {("USA", "2"), ("KOR", "2")}
