"""KEY WORD boxes as the 2025 book prints them: the label found by geometry, several terms in one box,
sub-terms under a title, closing notes, titles in 「」 or an abbreviation alone; partner lists under their term.

keyword-box-shapes.pdf and real-2025-keyword-boxes.pdf are made by tests/fixtures/book2025.py; the second
holds the boxes of the real text layer (tests/fixtures/corpus/real-2025-textlayer.jsonl.gz) that it
holds whole.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURE_PDFS, blocks_of

from pipeline.extract import extract_blocks
from pipeline.keywords import box_entries, split_title
from pipeline.normalize import normalize_text

EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))
SHAPES = EXPECTED["keyword-box-shapes.pdf"]["boxes"]
REAL = EXPECTED["real-2025-keyword-boxes.pdf"]["boxes"]


def _tables(name: str):
    return extract_blocks("2025", blocks_of(FIXTURE_PDFS / name), [])


def _box_blocks(name: str) -> list[dict]:
    return [b for b in blocks_of(FIXTURE_PDFS / name) if b["kind"] == "box"]


@pytest.mark.parametrize("box", SHAPES, ids=lambda b: b["shape"][:40])
def test_each_shape_gives_its_label_title_and_keyword_rows(box):
    (block,) = [b for b in _box_blocks("keyword-box-shapes.pdf") if b["bbox"][:1] == box["bbox"][:1] and
                abs(b["bbox"][3] - box["bbox"][3]) < 1 and b["page"] == box["page"]]  # fmt: skip
    assert block["label"] == "KEY WORD"
    assert block["title"] == normalize_text("".join(box["title"]))
    assert "KEY WORD" not in block["text"]
    rows = [r for r in _tables("keyword-box-shapes.pdf").rows["keywords"] if r["page"] == str(box["page"])]
    rows = [r for r in rows if r["term"] in {k["term"] for k in box["keywords"]}]
    for want in box["keywords"]:
        (got,) = [r for r in rows if r["term"] == want["term"] and r["definition"].startswith(
            normalize_text(want.get("definition", ""))[:20])]  # fmt: skip
        for column in ("abbr", "expansion", "box_title", "note"):
            assert got[column] == want[column], column
        if want.get("definition"):
            assert got["definition"] == normalize_text(want["definition"])


@pytest.mark.parametrize("box", [b for b in SHAPES if "partners" in b], ids=lambda b: b["shape"][:40])
def test_partner_lists_go_to_the_term_they_follow(box):
    rows = _tables("keyword-box-shapes.pdf").rows["agreements"]
    for term, partners in box["partners"].items():
        got = [r["iso3"] for r in rows if r["agreement"] == term and r["page"] == str(box["page"])]
        assert got == partners, term


def test_the_whole_boxes_of_the_real_text_layer_give_their_terms():
    rows = _tables("real-2025-keyword-boxes.pdf").rows["keywords"]
    assert sorted(r["term"] for r in rows) == sorted(t for box in REAL for t in box["terms"])
    fimi = next(r for r in rows if r["term"] == "外国による情報操作と干渉")
    assert fimi["abbr"] == "FIMI" and fimi["definition"].startswith("外国政府などによる自国の「価値観")
    attack = next(r for r in rows if r["term"] == "武力攻撃事態")
    assert "予測事態とは" not in attack["definition"] and attack["note"] == "(両者を合わせて「武力攻撃事態等」と呼称)"
    assert all(r["definition"] for r in rows)


def test_the_real_boxes_keep_their_label_out_of_the_text_and_their_title_whole():
    titles = [b["title"] for b in _box_blocks("real-2025-keyword-boxes.pdf")]
    assert "「外国による情報操作と干渉(FIMI)」とは" in titles
    assert "「武力攻撃事態」・「武力攻撃予測事態」" in titles
    assert not any("KEY WORD" in b["text"] for b in _box_blocks("real-2025-keyword-boxes.pdf"))


TITLES = (
    ("円滑化協定 (RAA)", ("円滑化協定", "RAA", "")),
    ("物品役務相互提供協定（ACSA）", ("物品役務相互提供協定", "ACSA", "")),
    ("「存立危機事態」", ("存立危機事態", "", "")),
    ("「外国による情報操作と干渉(FIMI)」とは", ("外国による情報操作と干渉", "FIMI", "")),
    ("FOIP", ("FOIP", "FOIP", "")),
    ("RDP MOU", ("RDP MOU", "RDP MOU", "")),
    ("F-35A", ("F-35A", "", "")),  # a model number is not an abbreviation
    ("第3のオフセット戦略とは", ("第3のオフセット戦略", "", "")),
)


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_split_title(title, expected):
    assert split_title(title) == expected


# (title, text, [(term, box_title, sentences, note)], stray partner lists)
ENTRIES = (
    (
        "「A事態」・「B事態」",
        "A事態とは、甲。\nB事態とは、乙。\n(両者を合わせて「C」と呼称)",
        [("A事態", "", ["A事態とは、甲。"], "(両者を合わせて「C」と呼称)"),
         ("B事態", "", ["B事態とは、乙。"], "(両者を合わせて「C」と呼称)")],
        [],
    ),
    (  # the longer term wins where one starts with the other
        "「武力攻撃事態」及び「武力攻撃事態等」",
        "武力攻撃事態等とは、乙。武力攻撃事態とは、甲。",
        [("武力攻撃事態", "", ["武力攻撃事態とは、甲。"], ""),
         ("武力攻撃事態等", "", ["武力攻撃事態等とは、乙。"], "")],
        [],
    ),
    (  # a partner list before any term of a box defining several: under none of them
        "「A協定」・「B協定」",
        "2025年4月現在、米国との間で締結されている。\nA協定とは、甲。\nB協定とは、乙。",
        [("A協定", "", ["A協定とは、甲。"], ""), ("B協定", "", ["B協定とは、乙。"], "")],
        ["2025年4月現在、米国との間で締結されている。"],
    ),
    (  # sub-terms under a title that names their topic; text before them is the title's own definition
        "演習",
        "部隊の訓練。\n「実動演習」\n演習場などで部隊を動かすもの\n「指揮所演習」とは、指揮所で行うもの。",
        [("演習", "", ["部隊の訓練。"], ""), ("実動演習", "演習", ["演習場などで部隊を動かすもの"], ""),
         ("指揮所演習", "演習", ["「指揮所演習」とは、指揮所で行うもの。"], "")],
        [],
    ),
    (  # a quotation that opens a paragraph is not a sub-term
        "円滑化協定",
        "「自由で開かれたインド太平洋」の実現に資するもの。",
        [("円滑化協定", "", ["「自由で開かれたインド太平洋」の実現に資するもの。"], "")],
        [],
    ),
    (  # a ※ note about a partner is not the box's note
        "円滑化協定",
        "定めるもの。\n(※米国とは別の協定)",
        [("円滑化協定", "", ["定めるもの。", "(※米国とは別の協定)"], "")],
        [],
    ),
)  # fmt: skip


@pytest.mark.parametrize(("title", "text", "entries", "stray"), ENTRIES)
def test_box_entries(title, text, entries, stray):
    got, loose = box_entries(title, text)
    assert [(e.term, e.box_title, e.sentences, e.note) for e in got] == entries
    assert loose == stray


def test_abbreviation_alone_takes_its_expansion_from_the_ruby_over_it():
    entries, _ = box_entries("FOIP", "考え方。", [{"offset": 0, "length": 4, "text": "Free and Open Indo-Pacific"}])
    assert [(e.term, e.abbr, e.expansion) for e in entries] == [("FOIP", "FOIP", "Free and Open Indo-Pacific")]
