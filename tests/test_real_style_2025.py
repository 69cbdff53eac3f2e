"""real-style-2025.pdf through `make extract`: the rows tests/fixtures/corpus/README.md says it must give.

The same items as ../shared/tools/check_real_style.py (which CI does not have), and exactly those rows.
"""

from __future__ import annotations

import unicodedata

import pytest
from conftest import FIXTURE_PDFS, blocks_of, make_extract, read_rows

PDF = FIXTURE_PDFS / "real-style-2025.pdf"
KEYWORDS = {  # term → how its definition starts (each its own sentence, no closing note in it)
    "衛星コンステレーション": "一定の軌道上",
    "武力攻撃事態": "武力攻撃事態とは、わが国に対する外部",
    "武力攻撃予測事態": "武力攻撃予測事態とは、武力攻撃事態には至って",
    "防衛産業保全": "防衛省と自衛隊が使用する",
}
ACRONYMS = {
    "GSOMIA": ("日韓秘密軍事情報保護協定", "General Security of Military Information Agreement"),
    "NPT": ("核兵器不拡散条約", "Treaty on the Non-Proliferation of Nuclear Weapons"),
    "CCW": ("特定通常兵器使用禁止・制限条約", "Convention on Certain Conventional Weapons"),
}


def _plain(text: str) -> str:
    """As check_real_style.py compares: NFKC, no spaces, no 「」."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("「", "").replace("」", "")


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real-style")
    (tmp / "sources" / "2025").mkdir(parents=True)
    (tmp / "sources" / "2025" / PDF.name).write_bytes(PDF.read_bytes())
    run = make_extract(tmp / "sources", tmp / "out", tmp / "build", "HAKUSHO_FLAGS=--quiet")
    assert run.returncode == 0, run.stderr
    return tmp / "out"


@pytest.mark.slow
def test_keywords(output):
    rows = {r["term"]: r for r in read_rows(output / "keywords.csv")}
    assert set(rows) == set(KEYWORDS)
    for term, start in KEYWORDS.items():
        definition = _plain(rows[term]["definition"])
        assert definition.startswith(_plain(start)), term
        assert "両者を合わせて" not in definition
    assert "予測事態とは" not in rows["武力攻撃事態"]["definition"]
    note = "(両者を合わせて「武力攻撃事態等」と呼称)"
    assert rows["武力攻撃事態"]["note"] == rows["武力攻撃予測事態"]["note"] == note


@pytest.mark.slow
def test_acronyms(output):
    rows = {r["abbr"]: (r["term"], r["expansion"]) for r in read_rows(output / "acronyms.csv")}
    assert rows == ACRONYMS


@pytest.mark.slow
def test_agreement_events(output):
    events = read_rows(output / "agreement_events.csv")
    rows = [(r["agreement"], r["abbr"], r["iso3"], r["event"], r["date"]) for r in events]
    assert rows == [("秘密軍事情報保護協定", "GSOMIA", "KOR", "concluded", "2016-11")]


def test_body_text_reads_whole_with_the_abbreviations_in_place():
    body = [b["text"] for b in blocks_of(PDF) if b["kind"] == "body"]
    for sentence in ("日韓秘密軍事情報保護協定(GSOMIA)を締結した。", "核兵器不拡散条約(NPT)が発効した。",
                     "特定通常兵器使用禁止・制限条約(CCW)などの各種条約に加え"):  # fmt: skip
        assert sum(sentence in text for text in body) == 1
    assert not any(word in text for text in body for word in ("Security", "Treaty", "Convention"))
