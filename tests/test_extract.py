"""The extract stage on blocks from committed PDFs: KEY WORD boxes → keywords and agreements."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_PDFS, SEED_AGREEMENTS, SEED_NOTES, blocks_of, sample_pdf

from pipeline.extract import extract_blocks
from pipeline.keywords import split_title


def _tables(pdf):
    return extract_blocks("2025", blocks_of(pdf), [])


@pytest.mark.parametrize(
    "pdf", [sample_pdf("2025"), FIXTURE_PDFS / "layout-synthetic-2025.pdf"], ids=["chromium", "reportlab"]
)
def test_seed_agreement_rows(pdf):
    rows = _tables(pdf).rows["agreements"]
    got: dict = {}
    for row in rows:
        got.setdefault((row["agreement"], row["abbr"]), []).append((row["iso3"], row["status"]))
        assert row["as_of"] == "2025-04"
        assert row["party_type"] == "state" and row["cow"]
        assert "現在" in row["evidence"]
    assert got == SEED_AGREEMENTS
    notes = {row["iso3"]: row["note"] for row in rows if row["note"]}
    assert notes == SEED_NOTES


def test_seed_keywords():
    keywords = _tables(sample_pdf("2025")).rows["keywords"]
    assert [(k["term"], k["abbr"], k["as_of"]) for k in keywords] == [
        ("円滑化協定", "RAA", "2025-04"),
        ("物品役務相互提供協定", "ACSA", "2025-04"),
        ("防衛装備品・技術移転協定", "", "2025-04"),
    ]
    raa = keywords[0]
    assert raa["definition"].startswith("一方の国の部隊が他方の国を訪問して")
    assert raa["definition"].endswith("円滑化するもの。")
    assert "現在" not in raa["definition"]
    assert raa["page"] == "1" and raa["printed_page"] == "1"
    assert raa["section"] == "第3章同志国などとの連携"


def test_body_sentences_never_become_keywords_or_partner_rows():
    for year in ("2016", "2019", "2023"):
        tables = extract_blocks(year, blocks_of(sample_pdf(year)), [])
        assert tables.rows["keywords"] == []
        assert tables.rows["agreements"] == []


TITLES = (
    ("円滑化協定 (RAA)", ("円滑化協定", "RAA", "")),
    ("物品役務相互提供協定（ACSA）", ("物品役務相互提供協定", "ACSA", "")),
    (
        "物品役務相互提供協定 (ACSA:Acquisition and Cross-Servicing Agreement)",
        ("物品役務相互提供協定", "ACSA", "Acquisition and Cross-Servicing Agreement"),
    ),
    (
        "相互防衛調達了解覚書(RDP MOU:Reciprocal Defense Procurement Memorandum of Understanding)",
        ("相互防衛調達了解覚書", "RDP MOU", "Reciprocal Defense Procurement Memorandum of Understanding"),
    ),
    ("第3のオフセット戦略とは", ("第3のオフセット戦略", "", "")),
    ("防衛装備品・技術移転協定", ("防衛装備品・技術移転協定", "", "")),
)


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_split_title(title, expected):
    assert split_title(title) == expected


def _box(label, title, text):
    return {
        "edition": "2025",
        "file": "x.pdf",
        "page": 3,
        "printed_page": "141",
        "kind": "box",
        "label": label,
        "title": title,
        "text": text,
        "level": 0,
    }


@pytest.mark.parametrize("label", ["KEY WORD", "KeyWord", "key word", "KEYWORD", "Key Words"])
def test_every_keyword_label_spelling_gives_a_keyword_row(label):
    tables = extract_blocks("2025", [_box(label, "日豪円滑化協定 (RAA)", "定めるもの。")], [])
    assert [k["term"] for k in tables.rows["keywords"]] == ["日豪円滑化協定"]


def test_a_box_not_about_an_agreement_gives_a_keyword_and_no_agreement_rows():
    box = _box(
        "KEY WORD",
        "第3のオフセット戦略とは",
        "米国の「第3のオフセット戦略」とは、敵の有する能力と異なる分野で優位を確保する戦略。",
    )
    tables = extract_blocks("2017", [box], [])
    assert [k["term"] for k in tables.rows["keywords"]] == ["第3のオフセット戦略"]
    assert tables.rows["agreements"] == [] and tables.rows["review"] == []


def test_unparsed_parts_go_to_review_not_lost():
    box = _box("KEY WORD", "円滑化協定 (RAA)", "定めるもの。\n2025年4月現在、英国、ワカンダとの間で締結されている。")
    tables = extract_blocks("2025", [box], [])
    assert [r["country"] for r in tables.rows["agreements"]] == ["英国", "ワカンダ"]
    assert [(r["table"], r["reason"], r["page"]) for r in tables.rows["review"]] == [
        ("agreements", "unknown party name: ワカンダ", "3")
    ]


def test_partner_list_in_body_text_goes_to_review():
    body = {
        "edition": "2025",
        "file": "x.pdf",
        "page": 5,
        "printed_page": "",
        "kind": "body",
        "label": "",
        "title": "",
        "level": 0,
        "text": "2025年4月現在、米国、英国との間で締結されている。",
    }
    tables = extract_blocks("2025", [body], [])
    assert tables.rows["agreements"] == []
    assert tables.rows["review"][0]["reason"] == "partner list outside a KEY WORD box (not parsed)"


def test_pages_without_text_are_listed_for_review():
    pages = [{"file": "x.pdf", "page": 2, "status": "no_text", "reason": "no text layer (a scanned image?)"}]
    tables = extract_blocks("2025", [], pages)
    assert tables.rows["review"] == [
        {
            "edition": "2025",
            "table": "pages",
            "reason": "no_text",
            "file": "x.pdf",
            "page": "2",
            "printed_page": "",
            "text": "no text layer (a scanned image?)",
        }
    ]


def test_keyword_box_without_title_goes_to_review_with_its_partner_list():
    box = _box("KEY WORD", "", "定めるもの。\n2025年4月現在、英国との間で締結されている。")
    tables = extract_blocks("2025", [box], [])
    assert tables.rows["keywords"] == [] and tables.rows["agreements"] == []
    assert [r["reason"] for r in tables.rows["review"]] == ["KEY WORD box without a title"]
    assert "英国との間で締結" in tables.rows["review"][0]["text"]


def test_keyword_label_in_body_text_is_listed_for_review():
    """The 2017 sample shows a KeyWord entry as plain text (no frame): not a keyword, but not lost either."""
    tables = extract_blocks("2017", blocks_of(sample_pdf("2017")), [])
    assert tables.rows["keywords"] == []
    (item,) = [r for r in tables.rows["review"] if r["table"] == "keywords"]
    assert item["reason"] == "KEY WORD label outside a box (not read as a keyword)"
    assert item["text"].startswith("KeyWord第3のオフセット戦略とは")


def test_partner_and_event_rows_carry_the_agreement_kind():
    """kind: from the vocabulary (円滑化協定 → agreement), else the head noun; empty for a term that names none."""
    tables = _tables(sample_pdf("2025"))
    assert {(r["agreement"], r["kind"]) for r in tables.rows["agreements"]} == {
        ("円滑化協定", "agreement"),
        ("物品役務相互提供協定", "agreement"),
        ("防衛装備品・技術移転協定", "agreement"),
    }
    events = extract_blocks("2023", blocks_of(sample_pdf("2023")), []).rows["agreement_events"]
    assert ("安全保障協力に関する共同宣言", "declaration") in {(r["agreement"], r["kind"]) for r in events}
