"""The layout stage on the bundled sample editions (PDFs rendered by Chromium from real passages).

Golden files in tests/golden/ hold the blocks as reviewed by eye; regenerate them with
HAKUSHO_UPDATE_GOLDEN=1 and review the diff before committing.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import GOLDEN, blocks_of, sample_pdf

from pipeline.files import write_jsonl

YEARS = ("2016", "2017", "2019", "2023", "2025")


@pytest.mark.parametrize("year", YEARS)
def test_blocks_match_golden(year, tmp_path):
    produced = tmp_path / "blocks.jsonl"
    write_jsonl(produced, blocks_of(sample_pdf(year)))
    golden = GOLDEN / f"sample-{year}.blocks.jsonl"
    if os.environ.get("HAKUSHO_UPDATE_GOLDEN"):
        golden.write_bytes(produced.read_bytes())
    assert produced.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def _kinds(blocks):
    return [b["kind"] for b in blocks]


def test_2025_three_keyword_boxes_with_label_and_title():
    boxes = [b for b in blocks_of(sample_pdf("2025")) if b["kind"] == "box"]
    assert [(b["label"], b["title"]) for b in boxes] == [
        ("KEY WORD", "円滑化協定 (RAA)"),
        ("KEY WORD", "物品役務相互提供協定 (ACSA)"),
        ("KEY WORD", "防衛装備品・技術移転協定"),
    ]
    assert boxes[0]["text"].endswith("フィリピンとの間で署名されている。")


def test_2025_boxes_never_leak_into_body():
    body = "".join(b["text"] for b in blocks_of(sample_pdf("2025")) if b["kind"] == "body")
    assert "KEY WORD" not in body
    assert "との間で締結" not in body
    assert "防衛白書" not in body  # the running foot


def test_2025_reading_order_left_column_then_right():
    blocks = blocks_of(sample_pdf("2025"))
    page1 = [b for b in blocks if b["page"] == 1 and b["kind"] not in ("header", "footer")]
    columns = [b["column"] for b in page1]
    assert columns == sorted(columns), "all left-column blocks come before right-column ones"
    first_right = next(b for b in page1 if b["column"] == 2)
    assert first_right["title"] == "防衛装備品・技術移転協定"


def test_2025_footer_gives_printed_page_and_edition_title():
    blocks = blocks_of(sample_pdf("2025"))
    footers = [b for b in blocks if b["kind"] == "footer"]
    assert [f["text"] for f in footers] == ["令和7年版防衛白書 1", "令和7年版防衛白書 2"]
    assert {b["printed_page"] for b in blocks if b["page"] == 2} == {"2"}


def test_2025_no_radicals_or_spurious_spaces():
    text = "".join(b["text"] for b in blocks_of(sample_pdf("2025")))
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in text)
    assert "\u2027" not in text
    assert "協力" in text and "自衛隊" in text
    assert "円滑化協定 (RAA)、物品役務相互提供協定 (ACSA)、防衛装備品・技術移転協定などの制度的枠組み" in text


def test_2016_superscripts_are_markers_not_text():
    blocks = blocks_of(sample_pdf("2016"))
    acsa = next(b for b in blocks if "ACSA:Acquisition" in b["text"])
    assert "Cross-Servicing Agreement)及び日豪ACSA" in acsa["text"]
    assert {"offset": acsa["text"].index("及び日豪ACSA"), "mark": "10"} in acsa["footnote_marks"]
    values = next(b for b in blocks if "普遍的価値" in b["text"])
    assert "普遍的価値のみならず" in values["text"]
    assert values["footnote_marks"][0]["mark"] == "9"


def test_2016_paragraph_continues_across_columns():
    blocks = blocks_of(sample_pdf("2016"))
    para = next(b for b in blocks if b["text"].startswith("オーストラリアは、わが国にとって"))
    assert [p["column"] for p in para["parts"]] == [1, 2]
    assert "着実に進展しており、現在ではより実際的" in para["text"]
    assert para["text"].endswith("移行している。")


def test_2016_running_header_and_headings():
    blocks = blocks_of(sample_pdf("2016"))
    assert blocks[0]["kind"] == "header"
    assert blocks[0]["text"].startswith("第III部")
    headings = [b["text"] for b in blocks if b["kind"] == "heading"]
    assert headings[:3] == [
        "4 各国との防衛協力・交流の推進",
        "1 日豪防衛協力・交流",
        "(1)オーストラリアとの防衛協力・交流の意義など",
    ]


def test_latin_words_keep_single_spaces():
    text = "".join(b["text"] for b in blocks_of(sample_pdf("2016")))
    assert "(ACSA:Acquisition and Cross-Servicing Agreement)" in text


def test_blocks_are_json_serialisable_and_carry_provenance():
    for year in YEARS:
        for block in blocks_of(sample_pdf(year)):
            json.dumps(block)
            assert block["page"] >= 1 and len(block["bbox"]) == 4 and block["parts"][0]["page"] == block["page"]
