"""Paragraph and heading rules of the layout stage on lines of one column (layout.order_page): list items by their
number, headings by size (1.08 x the body text) or, at body size, by another face (Gothic over Mincho), and what
is not a heading (a paragraph whose last line is bold, a bold line inside a paragraph)."""

from __future__ import annotations

import pytest

from pipeline.layout import doc_stats, order_page
from pipeline.lines import Box, Line, PageLines

MINCHO, GOTHIC = "AAAAAA+IPAexMincho", "AAAAAB+IPAexGothic"
LEFT, RIGHT, PITCH = 42.0, 290.0, 15.0
FULL = "安全保障分野での協力・交流を推進するに際して、相手国の実情や日本との関係なども"


def _page(rows: list[tuple[str, str, float, float, float]]) -> PageLines:
    """rows: (text, font, size, x0, x1), one line each, PITCH apart, from the top of the column."""
    lines = [
        Line(x0, 100 + i * PITCH, x1, 100 + i * PITCH + size, size, font, text)
        for i, (text, font, size, x0, x1) in enumerate(rows)
    ]
    return PageLines(1, 595.0, 842.0, lines, [], "ok")


def _body(text: str, x0: float = LEFT, x1: float = RIGHT, font: str = MINCHO) -> tuple:
    return (text, font, 9.0, x0, x1)


# (case, lines, the (kind, text) of each paragraph)
CASES = (
    (
        "list items, one a line",
        [_body("1. 防衛大臣政務官 → 政務官", x1=150), _body("2. 防衛事務次官 → 事務次官", x1=150),
         _body("3. 統合幕僚長 → 統幕長", x1=140), _body(FULL, x0=51), _body("終わり。", x1=80)],
        [("body", "1. 防衛大臣政務官 → 政務官"), ("body", "2. 防衛事務次官 → 事務次官"),
         ("body", "3. 統合幕僚長 → 統幕長"), ("body", FULL + "終わり。")],
    ),
    (
        "a Gothic heading at body size over an indented paragraph",
        [("(1)オーストラリアとの防衛協力・交流の意義", GOTHIC, 9.0, LEFT, 220), _body(FULL, x0=51),
         _body("ある。", x1=80)],
        [("heading", "(1)オーストラリアとの防衛協力・交流の意義"), ("body", FULL + "ある。")],
    ),
    (
        "a Gothic heading at body size over a paragraph without indent",
        [("ア 日豪防衛協力", GOTHIC, 9.0, LEFT, 120), _body(FULL), _body("ある。", x1=80)],
        [("heading", "ア 日豪防衛協力"), ("body", FULL + "ある。")],
    ),
    (
        "a paragraph whose last line is bold is no heading",
        [_body(FULL, x0=51), ("円滑化協定 (RAA)を締結した。", GOTHIC, 9.0, LEFT, 160)],
        [("body", FULL + "円滑化協定 (RAA)を締結した。")],
    ),
    (
        "a line mostly bold inside a paragraph is no heading",
        [_body(FULL, x0=51),
         ("物品役務相互提供協定 (ACSA)、防衛装備品・技術移転協定などの制", GOTHIC, 9.0, LEFT, RIGHT),
         _body("度的枠組み。", x1=100)],
        [("body", FULL + "物品役務相互提供協定 (ACSA)、防衛装備品・技術移転協定などの制度的枠組み。")],
    ),
    (
        "a paragraph of one full line, then an indented one",
        [_body(FULL + "。", x0=51), _body("(一例)", x0=51, x1=80), _body(FULL, x0=51), _body("ある。", x1=80)],
        [("body", FULL + "。"), ("body", "(一例)"), ("body", FULL + "ある。")],
    ),
    (
        "bullet items indented as a block, each line at the same indent",
        [_body("日豪円滑化協定(RAA)により促進される防衛協力を", x0=55), _body("さらに強化すること", x0=55, x1=150),
         _body("各領域において演習や活動を高度化し、相互運用性の向上", x0=55), _body("を図ること", x0=55, x1=100),
         _body(FULL, x0=51), _body("ある。", x1=80)],
        [("body", "日豪円滑化協定(RAA)により促進される防衛協力をさらに強化すること"),
         ("body", "各領域において演習や活動を高度化し、相互運用性の向上を図ること"), ("body", FULL + "ある。")],
    ),
    (
        "a numbered list after a full line ending a sentence",
        [_body(FULL, x0=51), _body("正式名称としている場合があります。)"), _body("1. 防衛大臣政務官 → 政務官", x1=150),
         _body("2. 防衛事務次官 → 事務次官", x1=150)],
        [("body", FULL + "正式名称としている場合があります。)"), ("body", "1. 防衛大臣政務官 → 政務官"),
         ("body", "2. 防衛事務次官 → 事務次官")],
    ),
    (
        "a closing bracket past the measure does not make the other lines short",
        [_body(FULL, x0=51), _body("利益を有する「特別な戦略的パートナー」", x1=RIGHT + 4.5), _body("ある。", x1=80),
         _body("日豪円滑化協定(RAA)により促進され", x0=55), _body("る防衛協力をさらに強化すること", x0=55, x1=200)],
        [("body", FULL + "利益を有する「特別な戦略的パートナー」ある。"),
         ("body", "日豪円滑化協定(RAA)により促進される防衛協力をさらに強化すること")],
    ),
    (
        "a heading 1.1 times the body size in the same face",
        [("4 新たな日米物品役務相互提供協定", MINCHO, 9.9, LEFT, 200), _body(FULL, x0=51), _body("ある。", x1=80)],
        [("heading", "4 新たな日米物品役務相互提供協定"), ("body", FULL + "ある。")],
    ),
)  # fmt: skip


@pytest.mark.parametrize(("case", "rows", "expected"), CASES, ids=[case for case, _, _ in CASES])
def test_paragraphs_and_headings(case, rows, expected):
    page = _page(rows)
    stats = doc_stats([page] * 3)  # the body text's size and face are the book's: several pages of it
    assert [(para.kind, para.text) for para in order_page(page, stats)] == expected


def _line(text: str, x0: float, top: float, x1: float, size: float = 9.0, font: str = MINCHO) -> Line:
    return Line(x0, top, x1, top + size, size, font, text)


def _two_columns(top: float) -> list[Line]:
    """Ten full lines in each of two columns (42–290, 305–553) from ``top``."""
    return [_line(FULL, x0, top + i * PITCH, x1) for x0, x1 in ((42, 290), (305, 553)) for i in range(10)]


def test_a_heading_across_two_columns_keeps_the_short_line_it_wraps_onto():
    heading = [
        _line("第III部 国民の生命・財産と領土・領海・領空を守り抜くため", 42, 60, 540, 16.0, GOTHIC),
        _line("の取組", 42, 82, 90, 16.0, GOTHIC),
    ]
    page = PageLines(1, 595.0, 842.0, heading + _two_columns(110), [], "ok")
    headings = [para for para in order_page(page, doc_stats([page])) if para.kind == "heading"]
    assert [(para.text, para.column) for para in headings] == [
        ("第III部 国民の生命・財産と領土・領海・領空を守り抜くための取組", 0)
    ]


def test_a_box_label_in_the_page_margin_stays_the_box_label_and_a_running_foot_in_a_frame_stays_a_foot():
    foot = _line("令和7年版 防衛白書 141", 440, 810, 553, 7.0)
    label = _line("KEY WORD", 52, 45, 90, 7.0)  # on a tab over the top edge of a box at the top of the page
    box = Box(
        42,
        50,
        290,
        140,
        "rect",
        [
            label,
            _line("実動演習", 52, 62, 100, 10.0, GOTHIC),
            _line("演習場などで部隊を実際に動かして演練を行うもの", 52, 80, 280, 8.5),
        ],
    )
    ghost = Box(42, 780, 290, 850, "curve", [foot])  # a frame reaching into the foot (Chromium drew one)
    other = PageLines(
        2, 595.0, 842.0, _two_columns(60) + [_line("令和7年版 防衛白書 143", 440, 810, 553, 7.0)], [], "ok"
    )
    page = PageLines(1, 595.0, 842.0, _two_columns(160), [box, ghost], "ok")
    paras = order_page(page, doc_stats([page, other, other]))  # the foot is printed on the other odd pages
    assert [(para.label, para.title) for para in paras if para.kind == "box"] == [("KEY WORD", "実動演習")]
    assert [para.text for para in paras if para.kind == "footer"] == ["令和7年版 防衛白書 141"]
