"""Paragraph and heading rules of the layout stage on lines of one column (layout.order_page): list items by their
number, headings by size (1.08 x the body text) or, at body size, by another face (Gothic over Mincho), and what
is not a heading (a paragraph whose last line is bold, a bold line inside a paragraph)."""

from __future__ import annotations

import pytest

from pipeline.layout import doc_stats, order_page
from pipeline.lines import Line, PageLines

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
